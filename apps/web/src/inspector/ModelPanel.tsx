import { useMemo } from 'react';
import { liveNodeMetrics, useLive } from '../state/live-store';
import { modelFigures, type ModelFigures } from './model-figures';

/**
 * A score node's model figures while it runs: champion/challenger agreement and score
 * differences, both models' AUC and log-loss once labels arrive, and PSI per feature with a
 * badge when it drifts (docs/models.md). Selected as one string: an unchanged tick renders nothing.
 */
export function ModelPanel({ nodeId, threshold }: { nodeId: string; threshold?: number }) {
  const json = useLive((s) => {
    const f = modelFigures(liveNodeMetrics(s, nodeId)?.model, threshold);
    return f ? JSON.stringify(f) : '';
  });
  const f = useMemo(() => (json ? (JSON.parse(json) as ModelFigures) : null), [json]);
  if (!f) return null;
  return (
    <section className="subtasks model-panel" data-testid="model-panel">
      <h3>Model {f.drifting && <span className="badge error" data-testid="drift-badge" title="a feature's PSI is above the threshold">drifting</span>}</h3>
      <table>
        <tbody>
          {f.challenger !== null && <>
            <tr><th>scored by both</th><td>{f.compared}</td></tr>
            <tr><th>agreement</th><td data-testid="model-agreement">{f.agreement}</td></tr>
            <tr><th>|champion − challenger|</th><td>{f.diff}</td></tr>
          </>}
          <tr><th>labelled</th><td data-testid="model-labelled">{f.labelled}</td></tr>
          <tr><th>champion</th><td data-testid="model-champion">{f.champion}</td></tr>
          {f.challenger !== null && <tr><th>challenger</th><td data-testid="model-challenger">{f.challenger}</td></tr>}
        </tbody>
      </table>
      {f.drift.length > 0 && (
        <table data-testid="model-drift">
          <thead><tr><th>feature</th><th title="population stability index against the reference">PSI</th></tr></thead>
          <tbody>
            {f.drift.map((d) => (
              <tr key={d.feature} className={d.over ? 'hot' : undefined}><td>{d.feature}</td><td>{d.psi}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
