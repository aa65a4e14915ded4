import { canonicalJson, type PipelineDocument } from '@eddy/shared';
import { useEditor } from '../state/editor-store';

export function exportJson(): void {
  const doc: PipelineDocument = useEditor.getState().doc;
  download(canonicalJson(doc), 'application/json', `${fileBase(doc.name)}.json`);
}

export const fileBase = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-|-$/g, '') || 'pipeline';

/** Saves text as a file through the browser's download. */
export function download(text: string, type: string, file: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = file;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
