import { useCallback, useEffect, useState } from 'react';
import { api, type CheckpointsResponse } from '../api/client';
import { useEditor } from '../state/editor-store';
import { useLive } from '../state/live-store';
import { restoreCheckpoint } from '../actions';
import { confirm } from '../dialogs/dialog-store';

async function confirmRestore(checkpointId: number): Promise<void> {
  const ok = await confirm({ title: `Redeploy from checkpoint ${checkpointId}?`,
    body: 'Sources go back to its offsets and state to its contents.', confirm: 'Redeploy from it' });
  if (ok) await restoreCheckpoint(checkpointId);
}
import { notifyError } from '../state/notice-store';

const kb = (n: number) => (n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KB`);

/** Completed checkpoints and savepoints of the open pipeline; refreshed with each metrics tick. */
export function Checkpoints() {
  const id = useEditor((s) => s.pipelineId);
  const count = useLive((s) => s.metrics?.checkpoints.count ?? 0);
  const state = useLive((s) => s.status?.state);
  const [data, setData] = useState<CheckpointsResponse | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const load = useCallback(async () => {
    if (!id) return setData(null);
    try {
      setData(await api.checkpoints(id));
    } catch (err) {
      notifyError(err);
    }
  }, [id]);
  useEffect(() => { void load(); }, [load, count, state]);
  if (!id) return <p className="muted">Save the pipeline to see its checkpoints.</p>;
  if (!data) return null;
  const m = data.metrics;
  return (
    <div data-testid="checkpoints">
      <div className="drawer-toolbar">
        <span data-testid="checkpoint-summary">
          {m ? `${m.count} completed this run${m.failed ? `, ${m.failed} failed` : ''}${m.lastDurationMs !== null ? ` · last took ${m.lastDurationMs} ms, ${kb(m.lastSizeBytes ?? 0)}` : ''}` : 'Not deployed yet'}
        </span>
        {data.resumeFrom !== null && <span className="badge" data-testid="resume-from">next deploy resumes from savepoint {data.resumeFrom}</span>}
      </div>
      {data.checkpoints.length === 0 ? <p className="muted">No checkpoints yet: a deployed pipeline takes one every checkpointIntervalMs.</p> : (
        <table>
          <thead><tr><th>id</th><th>kind</th><th>time</th><th>duration</th><th>size</th><th>nodes</th><th /></tr></thead>
          <tbody>
            {data.checkpoints.map((c) => (
              <tr key={c.id} data-testid={`checkpoint-${c.id}`}>
                <td>{c.id}</td>
                <td>{c.kind}</td>
                <td>{new Date(c.timestamp).toLocaleTimeString()}</td>
                <td>{c.durationMs} ms</td>
                <td>{kb(c.sizeBytes)}</td>
                <td>
                  <button className="link" onClick={() => setOpen(open === c.id ? null : c.id)}>{Object.keys(c.nodes).length} nodes</button>
                  {open === c.id && (
                    <div className="checkpoint-nodes">
                      {Object.entries(c.nodes).map(([node, n]) => <div key={node}>{node} <span className="muted">({n.kind})</span>: {kb(n.bytes)}</div>)}
                    </div>
                  )}
                </td>
                <td><button onClick={() => void confirmRestore(c.id)} data-testid={`restore-${c.id}`}>Restore</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
