import { useMemo, useState, useEffect } from 'react';
import { edgeFromPort, edgeToPort, fieldPaths, getKind, issueMessage, nodeIdSchema, type JsonSchema, type RecordSchema } from '@eddy/shared';
import { notifyError } from '../state/notice-store';
import { renameNode, setParams, useEditor } from '../state/editor-store';
import { ObjectFields, type FormContext, type Path } from './SchemaForm';
import { NodeErrors } from './NodeErrors';
import { PipelineSettings } from './PipelineSettings';
import { Subtasks } from './Subtasks';
import { ModelPanel } from './ModelPanel';

const OPEN: RecordSchema = { fields: {}, open: true };

/** `nodes[2].params.aggregates[0].fn` → `aggregates.0.fn` */
function paramPath(path: string): string {
  const m = /^nodes\[\d+\]\.params\.?(.*)$/.exec(path);
  return m ? m[1].replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '') : '';
}

/** Why an id is refused, in words (the format's own rule), or null when it is fine. */
function idProblem(draft: string, taken: boolean): string | null {
  if (taken) return `Another node has the id '${draft}'`;
  const parsed = nodeIdSchema.safeParse(draft);
  return parsed.success ? null : issueMessage(parsed.error.issues[0]);
}

function NodeIdInput({ id }: { id: string }) {
  const [draft, setDraft] = useState(id);
  useEffect(() => setDraft(id), [id]);
  const taken = useEditor((s) => s.doc.nodes.some((n) => n.id === draft && n.id !== id));
  const problem = idProblem(draft, taken);
  const commit = () => {
    if (draft === id) return;
    if (problem) {
      notifyError(`Id '${draft}' refused: ${problem}. The node keeps '${id}'.`);
      return setDraft(id);
    }
    useEditor.getState().change((d) => renameNode(d, id, draft));
    useEditor.getState().select([draft]);
  };
  return (
    <>
      <input data-testid="node-id-input" value={draft} onChange={(e) => setDraft(e.target.value)} onBlur={commit}
        onKeyDown={(e) => { if (e.key === 'Enter') commit(); }} className={problem ? 'invalid' : ''} aria-invalid={!!problem} />
      {problem && <div className="field-errors" data-testid="node-id-problem">{problem}</div>}
    </>
  );
}

/** A free-text label shown on the canvas instead of the kind's title; the id stays the stable reference. */
function NodeLabelInput({ id, label, placeholder }: { id: string; label: string; placeholder: string }) {
  const set = (text: string) => useEditor.getState().change((d) => ({
    ...d, nodes: d.nodes.map((n) => {
      if (n.id !== id) return n;
      const { name: _old, ...rest } = n;
      return text ? { ...rest, name: text } : rest;
    }),
  }), `label:${id}`);
  return <input data-testid="node-label-input" value={label} maxLength={200} placeholder={placeholder} onChange={(e) => set(e.target.value)} />;
}

/** The selected node's id, doc and params: a form generated from its kind's JSON Schema. */
export function Inspector() {
  const selectedId = useEditor((s) => (s.selection.length === 1 ? s.selection[0] : null));
  const node = useEditor((s) => s.doc.nodes.find((n) => n.id === selectedId));
  const entry = useEditor((s) => (node ? s.kinds[node.kind] : undefined));
  const issues = useEditor((s) => s.issues);
  const schemas = useEditor((s) => s.schemas);
  const edges = useEditor((s) => s.doc.edges);

  const ctx: FormContext | null = useMemo(() => {
    if (!node) return null;
    const inputs: Record<string, RecordSchema> = {};
    for (const e of edges) if (e.to === node.id) inputs[edgeToPort(e)] = schemas[e.from]?.[edgeFromPort(e)] ?? OPEN;
    const errors: Record<string, string[]> = {};
    for (const i of issues) if (i.nodeId === node.id) (errors[paramPath(i.path)] ??= []).push(i.message);
    const firstPort = entry?.inputs[0]?.name ?? 'in';
    const schemaFor = (path: Path): RecordSchema => {
      let port = firstPort;
      try {
        const ref = getKind(node.kind)?.expressions?.(node.params).find((r) => r.path.join('.') === path.join('.'));
        if (ref) port = ref.port;
      } catch { /* params mid-edit: the first input */ }
      return inputs[port] ?? OPEN;
    };
    return { errors, fields: fieldPaths(inputs[firstPort] ?? OPEN), schemaFor };
  }, [node, entry, issues, schemas, edges]);

  if (!selectedId || !node || !ctx) {
    return (
      <aside className="inspector" data-testid="inspector">
        <h2>Inspector</h2>
        <p className="muted">Select a node to edit it. Drag kinds from the palette; connect an output (right) to an input (left).</p>
        <PipelineSettings />
      </aside>
    );
  }
  const nodeErrors = issues.filter((i) => i.nodeId === node.id && !paramPath(i.path).length);
  return (
    <aside className="inspector" data-testid="inspector">
      <h2>{entry?.title ?? node.kind} <span className="muted kind">{node.kind}</span></h2>
      <p className="doc">{entry?.doc}</p>
      <div className="form-row"><span className="form-label">label</span><NodeLabelInput id={node.id} label={node.name ?? ''} placeholder={entry?.title ?? node.kind} /></div>
      <div className="form-row"><span className="form-label">id</span><NodeIdInput id={node.id} /></div>
      {nodeErrors.map((e) => <div key={e.message} className="field-errors">{e.message}</div>)}
      {node.kind === 'source.http' && <IngestHint nodeId={node.id} />}
      <NodeErrors nodeId={node.id} />
      <Subtasks nodeId={node.id} />
      <ModelPanel nodeId={node.id} threshold={(node.params as { driftThreshold?: number }).driftThreshold} />
      {entry ? (
        <ObjectFields key={node.id} schema={entry.paramsSchema as JsonSchema} value={node.params} path={[]} ctx={ctx}
          onChange={(params) => useEditor.getState().change((d) => setParams(d, node.id, params as Record<string, unknown>), `params:${node.id}`)} />
      ) : (
        <div className="field-errors">Unknown kind '{node.kind}'</div>
      )}
    </aside>
  );
}

/** Where a source.http node takes records (the pipeline needs an id: saved once). */
function IngestHint({ nodeId }: { nodeId: string }) {
  const pipelineId = useEditor((s) => s.pipelineId);
  if (!pipelineId) return <p className="muted" data-testid="ingest-hint">Save the pipeline to get its ingest URL.</p>;
  const url = `${window.location.origin}/api/ingest/${pipelineId}/${encodeURIComponent(nodeId)}`;
  return (
    <div className="ingest-hint" data-testid="ingest-hint">
      <span className="form-label">POST records to</span>
      <code>{url}</code>
      <code className="muted">{`curl -H 'content-type: application/json' -d '[{"user":"u1"}]' ${url}`}</code>
    </div>
  );
}
