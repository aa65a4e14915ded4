import { useCallback, useEffect, useState } from 'react';
import { api, type TemplateSummary } from '../api/client';
import { createFromTemplate } from '../state/actions';
import { notifyError } from '../state/notice-store';
import { useUi } from '../state/ui-store';
import { useEscape } from '../ui/use-escape';

/** The templates gallery: the seed's use cases, each deployable at once on generated data. */
export function TemplatesDialog() {
  const open = useUi((s) => s.templatesOpen);
  const [templates, setTemplates] = useState<TemplateSummary[]>([]);
  useEffect(() => {
    if (open && !templates.length) api.templates().then(setTemplates, notifyError);
  }, [open, templates.length]);
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
                <button className="primary" onClick={() => { close(); void createFromTemplate(t.id, true); }} data-testid={`template-deploy-${t.id}`}>Deploy now</button>
              </div>
            </div>
          ))}
        </div>
        <div className="modal-actions"><button onClick={close}>Close</button></div>
      </div>
    </div>
  );
}
