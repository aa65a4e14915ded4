import { useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../api/client';
import { useEditor } from '../state/editor-store';
import { useLive } from '../state/live-store';
import { timeOfDay } from '../ui/format';
import { groupErrors, namesNode } from './node-errors';

/**
 * What failed at this node, when and how often: its dead letters grouped by reason (from the
 * server's list and the socket) and the job errors that named it while this page watched.
 */
export function NodeErrors({ nodeId }: { nodeId: string }) {
  const pipelineId = useEditor((s) => s.pipelineId);
  const deadLetters = useLive((s) => s.deadLetters);
  const counted = useLive((s) => s.metrics?.nodes[nodeId]?.errors ?? 0);
  const jobError = useLive((s) => s.status?.error ?? s.status?.restart?.lastError ?? null);
  const [jobErrors, setJobErrors] = useState<{ message: string; at: number; count: number }[]>([]);
  const lastSeen = useRef<string | null>(null);

  useEffect(() => {
    if (!pipelineId) return;
    void api.deadLetters(pipelineId).then((r) => useLive.getState().mergeDeadLetters(r.deadLetters)).catch(() => undefined);
  }, [pipelineId, nodeId]);
  useEffect(() => { setJobErrors([]); lastSeen.current = null; }, [pipelineId, nodeId]);
  useEffect(() => {
    if (!jobError || jobError === lastSeen.current || !namesNode(jobError, nodeId)) return;
    lastSeen.current = jobError;
    setJobErrors((old) => {
      const same = old.find((e) => e.message === jobError);
      return same ? old.map((e) => (e === same ? { ...e, at: Date.now(), count: e.count + 1 } : e)) : [{ message: jobError, at: Date.now(), count: 1 }, ...old];
    });
  }, [jobError, nodeId]);

  const groups = useMemo(() => groupErrors(deadLetters, nodeId), [deadLetters, nodeId]);
  const listed = groups.reduce((n, g) => n + g.count, 0);
  if (!groups.length && !jobErrors.length && !counted) return null;
  return (
    <section className="node-errors" data-testid="node-error-history">
      <h3>Errors at this node</h3>
      <p className="muted" data-testid="node-error-total">
        {Math.max(counted, listed).toLocaleString()} record{Math.max(counted, listed) === 1 ? '' : 's'} failed
        {counted > listed ? ` (the latest ${listed} kept)` : ''}
      </p>
      {jobErrors.map((e) => (
        <div key={e.message} className="node-error job" data-testid="node-job-error">
          <div className="node-error-what">{e.message}</div>
          <div className="muted">job {e.count > 1 ? `failed ${e.count}×, last` : 'failed'} at {timeOfDay(e.at)}</div>
        </div>
      ))}
      {groups.map((g) => (
        <div key={g.pattern} className="node-error" data-testid="node-error-group" title={g.example}>
          <div className="node-error-what">{g.example}</div>
          <div className="muted">
            <span data-testid="node-error-count">{g.count}×</span> · first {timeOfDay(g.first)}{g.count > 1 ? ` · last ${timeOfDay(g.last)}` : ''}
          </div>
        </div>
      ))}
    </section>
  );
}
