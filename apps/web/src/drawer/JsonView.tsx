import Editor from '@monaco-editor/react';
import '../monaco/setup';
import { useEditor } from '../state/editor-store';

/** The pipeline document as JSON, read-only (what Export downloads). */
export function JsonView() {
  const doc = useEditor((s) => s.doc);
  return (
    <div className="json-view" data-testid="json-view">
      <Editor height="100%" language="json" path="inmemory://pipeline.json" value={JSON.stringify(doc, null, 2)}
        options={{ readOnly: true, minimap: { enabled: false }, fontSize: 12, scrollBeyondLastLine: false, automaticLayout: true }} />
    </div>
  );
}
