import { useEffect, useRef, useState } from 'react';
import Editor from '@monaco-editor/react';
import '../monaco/setup';
import { useEditor } from '../state/editor-store';
import { checkEnvelope } from '../ui/document-check';

const pretty = (v: unknown) => JSON.stringify(v, null, 2);

/**
 * The whole pipeline as JSON, editable and in sync with the canvas both ways. Text that is
 * not JSON, or not a pipeline, is shown as an error and never reaches the canvas.
 */
export function CodeView() {
  const doc = useEditor((s) => s.doc);
  const [text, setText] = useState(() => pretty(doc));
  const [problem, setProblem] = useState('');
  /** The document text this view last pushed to the store: a doc change that differs came from the canvas. */
  const pushed = useRef(pretty(doc));
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    const next = pretty(doc);
    if (next === pushed.current) return;
    pushed.current = next;
    setText(next);
    setProblem('');
  }, [doc]);

  const apply = (value: string) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch (err) {
      setProblem(`Not valid JSON: ${(err as Error).message}. The canvas keeps the last valid pipeline.`);
      return;
    }
    const checked = checkEnvelope(parsed);
    if (!checked.ok) {
      setProblem(`Not a pipeline: ${checked.why}. The canvas keeps the last valid pipeline.`);
      return;
    }
    setProblem('');
    pushed.current = pretty(checked.document);
    if (pushed.current !== pretty(useEditor.getState().doc)) useEditor.getState().change(() => checked.document, 'code');
  };

  const onChange = (value: string | undefined) => {
    setText(value ?? '');
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => apply(value ?? ''), 300);
  };

  return (
    <div className="json-view" data-testid="code-view">
      {problem && <div className="code-problem errors" data-testid="code-problem">{problem}</div>}
      <Editor height="100%" language="json" path="inmemory://pipeline.json" value={text} onChange={onChange}
        options={{ minimap: { enabled: false }, fontSize: 12, scrollBeyondLastLine: false, automaticLayout: true, tabSize: 2 }} />
    </div>
  );
}
