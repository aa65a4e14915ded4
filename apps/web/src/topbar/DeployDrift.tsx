import { useEffect, useMemo, useState } from 'react';
import { sameBehaviour, summarizeDiff, type PipelineDocument } from '@eddy/shared';
import { deployDiff } from './deploy-drift';
import { useEditor } from '../state/editor-store';
import { useLive } from '../state/live-store';
import { revisionsApi } from '../history/revisions-api';

/**
 * "Modified since deploy": the canvas would run differently from the job (positions and the
 * name aside), with what changed on hover and on click.
 */
export function DeployDrift() {
  const pipelineId = useEditor((s) => s.pipelineId);
  const doc = useEditor((s) => s.doc);
  const running = useLive((s) => (s.status?.state === 'running' || s.status?.state === 'restarting') && s.status.pipelineId === pipelineId ? s.status.revision : null);
  const [deployed, setDeployed] = useState<{ key: string; doc: PipelineDocument } | null>(null);
  const [open, setOpen] = useState(false);
  const key = pipelineId && running ? `${pipelineId}@${running}` : null;
  useEffect(() => {
    if (!key || deployed?.key === key) return;
    let stale = false;
    void revisionsApi.get(pipelineId!, running!).then((r) => { if (!stale) setDeployed({ key, doc: r.document }); }, () => undefined);
    return () => { stale = true; };
  }, [key, deployed?.key, pipelineId, running]);
  const diff = useMemo(() => (key && deployed?.key === key ? deployDiff(deployed.doc, doc) : null), [key, deployed, doc]);
  if (!diff || sameBehaviour(diff)) return null;
  const summary = summarizeDiff({ ...diff, nodes: { ...diff.nodes, moved: [] }, nameChanged: false });
  return (
    <span className="drift-wrap">
      <button className="drift" data-testid="deploy-drift" title={`The running job is revision ${running}; the canvas differs: ${summary}. Redeploy to apply.`}
        onClick={() => setOpen(!open)}>modified<span className="wide-label"> since deploy</span></button>
      {open && <div className="drift-panel" data-testid="deploy-drift-summary">Running: revision {running}. Canvas: {summary}.</div>}
    </span>
  );
}
