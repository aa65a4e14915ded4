import { useEffect, useId, useRef } from 'react';
import Editor, { type OnMount } from '@monaco-editor/react';
import { checkExpression, fieldPaths, type RecordSchema } from '@eddy/shared';
import { EXPR_LANGUAGE, expressionFields, monaco } from './setup';

interface Props {
  value: string;
  onChange(value: string): void;
  /** The schema of the node's input: completions and errors as you type. */
  schema: RecordSchema;
  testId: string;
}

type StandaloneEditor = Parameters<OnMount>[0];

/** A one-line Monaco editor for an expression, checked by the same code as the server. */
export function ExpressionEditor({ value, onChange, schema, testId }: Props) {
  const uri = `inmemory://expr/${useId().replace(/:/g, '')}`;
  const editorRef = useRef<StandaloneEditor | null>(null);
  const valueRef = useRef(value);
  valueRef.current = value;

  const mark = (text: string) => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    const checked = checkExpression(text, schema);
    monaco.editor.setModelMarkers(model, 'eddy', checked.ok ? [] : checked.errors.map((e) => {
      const start = model.getPositionAt(e.start);
      const end = model.getPositionAt(Math.max(e.end, e.start + 1));
      return { message: e.message, severity: monaco.MarkerSeverity.Error, startLineNumber: start.lineNumber, startColumn: start.column, endLineNumber: end.lineNumber, endColumn: end.column };
    }));
  };

  useEffect(() => {
    expressionFields.set(uri, fieldPaths(schema));
    mark(value);
    return () => { expressionFields.delete(uri); };
  }, [uri, schema]);

  return (
    <div className="expr-editor" data-testid={testId}>
      <Editor
        height={28}
        defaultLanguage={EXPR_LANGUAGE}
        path={uri}
        value={value}
        theme="vs"
        onMount={(editor) => { editorRef.current = editor; mark(value); }}
        onChange={(v) => {
          const text = (v ?? '').replace(/\n/g, ' ');
          mark(text);
          // The editor also reports edits that came from the value prop (undo): not a new change.
          if (text !== valueRef.current) onChange(text);
        }}
        options={{
          minimap: { enabled: false }, lineNumbers: 'off', glyphMargin: false, folding: false, scrollBeyondLastLine: false,
          renderLineHighlight: 'none', overviewRulerLanes: 0, scrollbar: { vertical: 'hidden', horizontal: 'auto' },
          wordWrap: 'off', fontSize: 13, lineDecorationsWidth: 4, fixedOverflowWidgets: true, quickSuggestions: true,
          suggestOnTriggerCharacters: true, automaticLayout: true,
        }}
      />
    </div>
  );
}
