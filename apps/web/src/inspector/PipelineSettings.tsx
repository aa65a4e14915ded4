import { settingsSchema, type PipelineSettings as Settings } from '@eddy/shared';
import { useEditor } from '../state/editor-store';

type Parallelism = NonNullable<Settings['parallelism']>;
const PARALLELISM_CHOICES: Parallelism[] = [1, 2, 4, 8, 'auto'];
const MODES = settingsSchema.shape.mode.unwrap().options;
const GUARANTEES = settingsSchema.shape.guarantee.unwrap().options;

/** One settings change as an undoable step (saved with the document, as any edit). */
function setSetting<K extends keyof Settings>(key: K, value: Settings[K]): void {
  useEditor.getState().change((d) => (d.settings[key] === value ? d : { ...d, settings: { ...d.settings, [key]: value } }), `settings:${key}`);
}

/**
 * The pipeline's settings, shown in the inspector while no node is selected: how it executes
 * (mode, parallelism) and what it guarantees. A change takes effect at the next deploy.
 */
export function PipelineSettings() {
  const mode = useEditor((s) => s.doc.settings.mode);
  const guarantee = useEditor((s) => s.doc.settings.guarantee);
  const parallelism = useEditor((s) => s.doc.settings.parallelism);
  // A document may name any count 1..64 (imported, or `eddy run` files): it stays a choice.
  const choices = parallelism === undefined || PARALLELISM_CHOICES.includes(parallelism) ? PARALLELISM_CHOICES : [...PARALLELISM_CHOICES.slice(0, -1), parallelism, 'auto' as const];
  return (
    <section className="pipeline-settings" data-testid="pipeline-settings">
      <h3>Pipeline settings</h3>
      <label className="form-row">
        <span className="form-label">parallelism</span>
        <select data-testid="settings-parallelism" value={String(parallelism ?? 1)}
          onChange={(e) => setSetting('parallelism', e.target.value === 'auto' ? 'auto' : Number(e.target.value))}>
          {choices.map((p) => <option key={p} value={String(p)}>{p === 'auto' ? 'auto (the cores but one)' : p === 1 ? '1 (one thread)' : `${p} subtasks`}</option>)}
        </select>
        <span className="form-help">Subtasks on worker threads; keyed nodes get their records by key, so each key lives in one subtask. Takes effect at the next deploy.</span>
      </label>
      <label className="form-row">
        <span className="form-label">mode</span>
        <select data-testid="settings-mode" value={mode} onChange={(e) => setSetting('mode', e.target.value as Settings['mode'])}>
          {MODES.map((m) => <option key={m} value={m}>{m}</option>)}
        </select>
        <span className="form-help">{settingsSchema.shape.mode.description}</span>
      </label>
      <label className="form-row">
        <span className="form-label">guarantee</span>
        <select data-testid="settings-guarantee" value={guarantee} onChange={(e) => setSetting('guarantee', e.target.value as Settings['guarantee'])}>
          {GUARANTEES.map((g) => <option key={g} value={g}>{g}</option>)}
        </select>
      </label>
    </section>
  );
}
