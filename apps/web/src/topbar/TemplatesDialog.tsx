import { useCallback, useEffect, useState } from 'react';
import type { PipelineSummary } from '@eddy/shared';
import { api, type TemplateSummary } from '../api/client';
import { createFromTemplate, listPipelines, openPipeline, deploy } from '../actions';
import { notifyError, notifyInfo } from '../state/notice-store';
import { useUi } from '../state/ui-store';
import { useEscape } from '../ui/use-escape';
import { confirmWith } from '../dialogs/dialog-store';

type Template = TemplateSummary & { name?: string };
const active = (p: PipelineSummary) => p.state === 'running' || p.state === 'restarting';

/**
 * Deploy now, without piling up jobs: when a pipeline of this template exists it offers to
 * open and deploy that one, and when others run it offers to stop them (two cores go fast).
 */
async function deployTemplate(t: Template, pipelines: PipelineSummary[]): Promise<void> {
  const existing = pipelines.find((p) => p.name === t.name);
  const running = pipelines.filter((p) => active(p) && p.id !== existing?.id);
  let reuse = false;
  let stopOthers = false;
  if (existing || running.length) {
    const names = running.slice(0, 4).map((p) => `“${p.name}”`).join(', ') + (running.length > 4 ? ` and ${running.length - 4} more` : '');
    const answer = await confirmWith({
      title: `Deploy “${t.title}”`,
      body: existing ? `“${existing.name}” exists already (${existing.id}, revision ${existing.revision}, ${existing.state}).` : undefined,
      confirm: existing ? 'Open it and deploy' : 'Deploy',
      alternative: existing ? 'Create a new one' : undefined,
      option: running.length ? { label: `Stop the ${running.length} running pipeline${running.length === 1 ? '' : 's'} first: ${names}`, checked: true } : undefined,
    });
    if (answer.choice === 'cancel') return;
    reuse = answer.choice === 'confirm' && !!existing;
    stopOthers = answer.option && running.length > 0;
  }
  if (stopOthers) {
    await Promise.all(running.map((p) => api.stop(p.id).catch(notifyError)));
    notifyInfo(`Stopped ${running.length} pipeline${running.length === 1 ? '' : 's'}`);
  }
  if (!reuse) return createFromTemplate(t.id, true);
  await openPipeline(existing!.id);
  if (!active(existing!)) await deploy();
}

/** The templates gallery: the seed's use cases, each deployable at once on generated data. */
export function TemplatesDialog() {
  const open = useUi((s) => s.templatesOpen);
  const [templates, setTemplates] = useState<Template[]>([]);
  const [pipelines, setPipelines] = useState<PipelineSummary[]>([]);
  useEffect(() => {
    if (open && !templates.length) api.templates().then(setTemplates, notifyError);
  }, [open, templates.length]);
  // Listed when the gallery opens, so "Deploy now" can ask at once.
  useEffect(() => { if (open) void listPipelines().then(setPipelines); }, [open]);
  const close = useCallback(() => useUi.getState().setTemplatesOpen(false), []);
  useEscape(open, close);
  if (!open) return null;
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-labelledby="templates-title" data-testid="templates-dialog" onClick={close}>
      <div className="modal templates" onClick={(e) => e.stopPropagation()}>
        <h2 id="templates-title">Start from a template</h2>
        <div className="template-grid">
          {templates.map((t) => (
            <div key={t.id} className="template-card" data-testid={`template-${t.id}`}>
              <h3>{t.title}</h3>
              <p className="use-case">{t.useCase}</p>
              <p className="muted">{t.description}</p>
              <div className="modal-actions">
                <button onClick={() => { close(); void createFromTemplate(t.id, false); }} data-testid={`template-open-${t.id}`}>Open</button>
                <button className="primary" onClick={() => { close(); void deployTemplate(t, pipelines); }} data-testid={`template-deploy-${t.id}`}>Deploy now</button>
              </div>
            </div>
          ))}
        </div>
        <div className="modal-actions"><button onClick={close}>Close</button></div>
      </div>
    </div>
  );
}
