import { useMemo } from 'react';
import Editor from '@monaco-editor/react';
import '../monaco/setup';
import { FLINK_VERSION, translateToFlinkSql } from '@eddy/shared';
import { useEditor } from '../state/editor-store';
import { download, fileBase } from '../actions';

/**
 * The pipeline as a Flink SQL script, translated in the browser as you edit: what cannot be
 * translated is listed with its node (click selects it), and so is where Flink behaves differently.
 */
export function FlinkSqlView() {
  const doc = useEditor((s) => s.doc);
  const result = useMemo(() => translateToFlinkSql(doc), [doc]);
  const select = (nodeId?: string) => nodeId && useEditor.getState().select([nodeId]);
  return (
    <div className="flink-view" data-testid="flink-view">
      <div className="flink-head">
        <span data-testid="flink-status" className={result.ok ? 'ok' : 'errors'}>
          {result.ok
            ? `Runs on Flink ${FLINK_VERSION}+ as one job`
            : `${result.problems.length} node${result.problems.length === 1 ? '' : 's'} cannot be translated`}
        </span>
        <button disabled={!result.ok} data-testid="flink-download" title={result.ok ? 'Download the script' : 'Fix the nodes listed first'}
          onClick={() => download(result.sql, 'application/sql', `${fileBase(doc.name)}.sql`)}>
          Download .sql
        </button>
      </div>
      {result.problems.length > 0 && (
        <ul className="flink-problems">
          {result.problems.map((p, i) => (
            <li key={i} className="problem" data-testid="flink-problem" onClick={() => select(p.nodeId)}>
              <strong>{p.nodeId ?? 'pipeline'}</strong> {p.message}
            </li>
          ))}
        </ul>
      )}
      {result.notes.length > 0 && (
        <details className="flink-notes">
          <summary>{result.notes.length} difference{result.notes.length === 1 ? '' : 's'} from Eddy</summary>
          <ul>
            {result.notes.map((n, i) => (
              <li key={i} onClick={() => select(n.nodeId)}><strong>{n.nodeId}</strong> {n.message}</li>
            ))}
          </ul>
        </details>
      )}
      <Editor height="100%" language="sql" path="inmemory://pipeline.sql" value={result.sql}
        options={{ readOnly: true, minimap: { enabled: false }, fontSize: 12, scrollBeyondLastLine: false, automaticLayout: true }} />
    </div>
  );
}
