import { useState } from 'react';
import type { JsonSchema, RecordSchema } from '@eddy/shared';
import { ExpressionEditor } from '../monaco/ExpressionEditor';


export interface FormContext {
  /** Validation messages by param path (`aggregates.0.fn`). */
  errors: Record<string, string[]>;
  /** Field names of the node's input, for field pickers. */
  fields: string[];
  /** The input schema an expression at a param path is checked against (a join's keys differ). */
  schemaFor(path: Path): RecordSchema;
}

export type Path = (string | number)[];
const key = (path: Path) => path.join('.');
const testId = (path: Path) => `param-${path.join('-')}`;

function defaultFor(s: JsonSchema): unknown {
  if (s.default !== undefined) return structuredClone(s.default);
  if (s.type === 'object' || s.properties) {
    return Object.fromEntries(Object.entries(s.properties ?? {}).filter(([k]) => s.required?.includes(k)).map(([k, p]) => [k, defaultFor(p)]));
  }
  if (s.type === 'array') return [];
  if (s.type === 'number' || s.type === 'integer') return 0;
  if (s.type === 'boolean') return false;
  if (s.enum) return s.enum[0];
  return '';
}

function Errors({ path, ctx }: { path: Path; ctx: FormContext }) {
  const list = ctx.errors[key(path)];
  if (!list?.length) return null;
  return <div className="field-errors" data-testid={`error-${path.join('-')}`}>{list.map((m) => <div key={m}>{m}</div>)}</div>;
}

/** A JSON editor for shapes without a dedicated widget (model weights, inline rows, unions). */
function JsonField({ value, onChange, path }: { value: unknown; onChange(v: unknown): void; path: Path }) {
  const [text, setText] = useState(() => JSON.stringify(value ?? null, null, 2));
  const [bad, setBad] = useState<string | null>(null);
  return (
    <>
      <textarea className="json-field" data-testid={testId(path)} value={text} rows={Math.min(12, text.split('\n').length + 1)}
        onChange={(e) => {
          setText(e.target.value);
          try {
            onChange(JSON.parse(e.target.value));
            setBad(null);
          } catch (err) {
            setBad((err as Error).message);
          }
        }} />
      {bad && <div className="field-errors">Not valid JSON yet: {bad}</div>}
    </>
  );
}

interface FieldProps { schema: JsonSchema; value: unknown; onChange(v: unknown): void; path: Path; ctx: FormContext }

/** One value of the params, by its JSON Schema. No per-kind forms: every kind's inspector is this. */
export function SchemaField({ schema, value, onChange, path, ctx }: FieldProps) {
  const id = testId(path);
  const type = Array.isArray(schema.type) ? 'union' : schema.type;
  if (schema['x-eddy'] === 'expression') {
    return <ExpressionEditor value={typeof value === 'string' ? value : ''} onChange={onChange} schema={ctx.schemaFor(path)} testId={id} />;
  }
  if (schema.enum) {
    return (
      <select data-testid={id} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)}>
        {value === undefined && <option value="">—</option>}
        {schema.enum.map((v) => <option key={String(v)} value={String(v)}>{String(v)}</option>)}
      </select>
    );
  }
  if (type === 'boolean') return <input type="checkbox" data-testid={id} checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
  if (type === 'number' || type === 'integer') {
    return <input type="number" data-testid={id} value={typeof value === 'number' ? value : ''} step={type === 'integer' ? 1 : 'any'}
      onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))} />;
  }
  if (type === 'string') {
    const list = schema['x-eddy'] === 'field' ? `fields-${id}` : undefined;
    return (
      <>
        <input type="text" data-testid={id} value={typeof value === 'string' ? value : ''} list={list}
          placeholder={schema['x-eddy'] === 'duration' ? 'e.g. 10s' : undefined}
          onChange={(e) => onChange(e.target.value === '' && !schema.default ? undefined : e.target.value)} />
        {list && <datalist id={list}>{ctx.fields.map((f) => <option key={f} value={f} />)}</datalist>}
      </>
    );
  }
  if (type === 'array' && schema.items) return <ArrayField {...{ schema, value, onChange, path, ctx }} />;
  if ((type === 'object' || schema.properties) && schema.properties && !schema.anyOf && !schema.oneOf) {
    return <ObjectFields {...{ schema, value, onChange, path, ctx }} />;
  }
  return <JsonField value={value} onChange={onChange} path={path} />;
}

function ArrayField({ schema, value, onChange, path, ctx }: FieldProps) {
  const items = Array.isArray(value) ? value : [];
  const itemSchema = schema.items!;
  const set = (i: number, v: unknown) => onChange(items.map((x, j) => (j === i ? v : x)));
  return (
    <div className="array-field" data-testid={`${testId(path)}-list`}>
      {items.map((item, i) => (
        <div className="array-row" key={i}>
          <div className="array-item"><SchemaField schema={itemSchema} value={item} onChange={(v) => set(i, v)} path={[...path, i]} ctx={ctx} /></div>
          <button type="button" className="icon" title="Remove" data-testid={`${testId(path)}-remove-${i}`}
            onClick={() => onChange(items.filter((_x, j) => j !== i))}>✕</button>
        </div>
      ))}
      <button type="button" className="add" data-testid={`${testId(path)}-add`} onClick={() => onChange([...items, defaultFor(itemSchema)])}>+ Add</button>
    </div>
  );
}

export function ObjectFields({ schema, value, onChange, path, ctx }: FieldProps) {
  const obj = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  return (
    <div className={path.length ? 'object-field' : 'form-root'}>
      {Object.entries(schema.properties ?? {}).map(([name, prop]) => {
        const p = [...path, name];
        const optionalObject = (prop.type === 'object' || prop.properties) && !schema.required?.includes(name) && obj[name] === undefined;
        return (
          <div key={name} className="form-row">
            <span className="form-label">{name}{schema.required?.includes(name) && prop.default === undefined ? ' *' : ''}</span>
            {optionalObject ? (
              <button type="button" className="add" data-testid={`${testId(p)}-enable`} onClick={() => onChange({ ...obj, [name]: defaultFor(prop) })}>+ Set {name}</button>
            ) : (
              <SchemaField schema={prop} value={obj[name]} path={p} ctx={ctx}
                onChange={(v) => {
                  const next = { ...obj };
                  if (v === undefined) delete next[name];
                  else next[name] = v;
                  onChange(next);
                }} />
            )}
            {prop.description && <span className="form-help">{prop.description}</span>}
            <Errors path={p} ctx={ctx} />
          </div>
        );
      })}
    </div>
  );
}
