import { CATEGORY_TITLES, type AnyKindDefinition, type Category } from './define.js';
import { catalogEntry } from './serialize.js';

const EVENT_TIME: Record<AnyKindDefinition['eventTime'], string> = {
  assigns: 'assigns it (a source)',
  uses: 'uses it (fires on watermarks, has late records)',
  passes: 'passes it on',
};

/** Event time, keyed state, and which params a restore compares before it keeps the node's state. */
function traitsLine(def: AnyKindDefinition): string {
  const parsed = def.params.safeParse(def.defaults);
  const kept = def.stateFingerprint && parsed.success ? Object.keys(def.stateFingerprint(parsed.data)) : [];
  const what = def.category === 'source' ? 'its offsets' : def.stateful ? 'its state' : 'its pending commits';
  return [
    `Event time: ${EVENT_TIME[def.eventTime]}. Keyed state: ${def.stateful ? 'yes' : 'no'}.`,
    kept.length ? ` A restore keeps ${what} only while ${kept.map((k) => `\`${k}\``).join(', ')} are unchanged.` : '',
  ].join('');
}

/** The subset of JSON Schema the catalog's params produce (zod → JSON Schema), for forms and docs. */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
  minimum?: number;
  maximum?: number;
  'x-eddy'?: 'expression' | 'field' | 'duration';
}

function typeText(s: JsonSchema): string {
  if (s['x-eddy'] === 'expression') return 'expression';
  if (s['x-eddy'] === 'duration') return 'duration';
  if (s['x-eddy'] === 'field') return 'field';
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (s.anyOf) return s.anyOf.map(typeText).join(' \\| ');
  if (s.type === 'array' && s.items) return `list of ${s.items.properties ? `{ ${Object.keys(s.items.properties).join(', ')} }` : typeText(s.items)}`;
  if (s.type === 'object' && s.properties) return `{ ${Object.keys(s.properties).join(', ')} }`;
  const base = Array.isArray(s.type) ? s.type.join(' \\| ') : s.type ?? 'any';
  const range = (n: number) => (Math.abs(n) >= 1e15 ? undefined : n.toLocaleString('en-US'));
  const lo = s.minimum === undefined ? undefined : range(s.minimum);
  const hi = s.maximum === undefined ? undefined : range(s.maximum);
  return lo !== undefined && hi !== undefined ? `${base} (${lo}–${hi})` : hi !== undefined ? `${base} (≤ ${hi})` : lo !== undefined ? `${base} (≥ ${lo})` : base;
}

/** The node reference (docs/nodes.md), rendered from the catalog so it cannot drift from the code. */
export function renderNodeReference(kinds: readonly AnyKindDefinition[]): string {
  const out: string[] = [
    '# Node reference',
    '',
    '<!-- Generated from packages/shared/src/catalog by `npm run docs`. Do not edit by hand. -->',
    '',
    'Every node kind, grouped as in the palette. Params marked *required* have no default;',
    'durations are strings such as `500ms`, `10s`, `5m`, `4h`, `1d`, at most `365d` (window sizes,',
    'slides and gaps, dedupe spans and TTLs are longer than `0ms`); expressions use the',
    '[expression language](expressions.md) (at most 10 000 characters, 256 levels deep). A value',
    'outside its limits is a validation error that names the limit. Names a pipeline defines',
    '(node ids, output fields, aggregates, route ports, field params) cannot be `__proto__`,',
    '`constructor` or `prototype`; a record field of such a name in the data passes through as any other.',
    '',
    'Every source takes records nested at most 64 levels deep (objects and arrays; the record',
    'itself is level 1): a deeper record is a dead letter of the source ("The record nests deeper',
    'than 64 levels", the record cut at that depth) and never enters the pipeline.',
    '',
  ];
  for (const category of Object.keys(CATEGORY_TITLES) as Category[]) {
    const inCategory = kinds.filter((k) => k.category === category);
    if (!inCategory.length) continue;
    out.push(`## ${CATEGORY_TITLES[category]}`, '');
    for (const def of inCategory) {
      const entry = catalogEntry(def);
      const schema = entry.paramsSchema as JsonSchema;
      out.push(`### ${def.title} — \`${def.kind}\``, '', def.doc, '');
      const ports = (list: { name: string; doc?: string }[]) => list.map((p) => `\`${p.name}\`${p.doc ? ` (${p.doc})` : ''}`).join(', ') || '—';
      out.push(`Inputs: ${ports(entry.inputs)}. Outputs: ${ports(entry.outputs)}.`, '');
      out.push(traitsLine(def), '');
      const props = Object.entries(schema.properties ?? {});
      if (props.length) {
        out.push('| param | type | default | description |', '|---|---|---|---|');
        for (const [name, p] of props) {
          const required = schema.required?.includes(name) && p.default === undefined;
          const dflt = p.default === undefined ? (required ? '*required*' : '') : `\`${JSON.stringify(p.default)}\``;
          out.push(`| \`${name}\` | ${typeText(p)} | ${dflt} | ${(p.description ?? '').replace(/\|/g, '\\|')} |`);
        }
        out.push('');
      }
      const example = { id: def.kind.replace(/\W/g, '_'), kind: def.kind, params: def.defaults };
      out.push('Example:', '', '```json', JSON.stringify(example, null, 2), '```', '');
    }
  }
  return out.join('\n');
}
