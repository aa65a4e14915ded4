import { usePlan } from '../state/plan-store';

const LABEL = { kept: 'keeps its state', reset: 'starts empty', dropped: 'state dropped' } as const;

/** Before a deploy that restores state: per node, what it keeps, resets or drops. */
export function PlanDialog() {
  const plan = usePlan((s) => s.plan);
  if (!plan) return null;
  const choose = usePlan.getState().choose;
  const from = plan.checkpointId === null ? 'a savepoint of the running pipeline' : `${plan.checkpointKind} ${plan.checkpointId}`;
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-labelledby="plan-title" data-testid="plan-dialog">
      <div className="modal">
        <h2 id="plan-title">Deploy from {from}?</h2>
        <p className="muted">Nodes whose id and kind are unchanged keep their state and offsets; the others do not.</p>
        <table>
          <thead><tr><th>node</th><th>kind</th><th>state</th><th>why</th></tr></thead>
          <tbody>
            {plan.nodes.map((n) => (
              <tr key={n.nodeId} className={`plan-${n.action}`} data-testid={`plan-${n.nodeId}`}>
                <td>{n.nodeId}</td><td>{n.kind}</td><td>{LABEL[n.action]}</td><td className="muted">{n.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="modal-actions">
          <button onClick={() => choose('cancel')} data-testid="plan-cancel">Cancel</button>
          <button onClick={() => choose('fresh')} data-testid="plan-fresh" title="Ignore saved state: every node starts empty">Start fresh</button>
          <button className="primary" onClick={() => choose('keep')} data-testid="plan-keep">Deploy, keeping state</button>
        </div>
      </div>
    </div>
  );
}
