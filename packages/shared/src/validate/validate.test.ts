import { describe, expect, it } from 'vitest';
import { validatePipeline } from './validate.js';
import { edgeGuarantees } from './delivery.js';
import { edgeTimeNotes } from './time-notes.js';
import type { ValidationIssue } from './issues.js';

/** A valid clickstream → filter → window → live table document to break in each test. */
const valid = () => ({
  format: 'eddy/pipeline@1',
  name: 'Views per country',
  nodes: [
    { id: 'clicks', kind: 'source.generator', params: { scenario: 'clickstream', ratePerSec: 100 } },
    { id: 'views', kind: 'filter', params: { where: "event_type = 'page_view'" } },
    { id: 'per_country', kind: 'window', params: { type: 'tumbling', size: '1s', keyBy: ['country'],
      aggregates: [{ name: 'views', fn: 'count' }] } },
    { id: 'live', kind: 'sink.live', params: {} },
  ],
  edges: [
    { from: 'clicks', to: 'views' },
    { from: 'views', to: 'per_country' },
    { from: 'per_country', to: 'live' },
  ],
});

type Doc = ReturnType<typeof valid> & Record<string, unknown>;

function errorsOf(mutate: (d: Doc) => void): ValidationIssue[] {
  const doc = valid() as Doc;
  mutate(doc);
  const result = validatePipeline(doc);
  expect(result.ok).toBe(false);
  return result.errors;
}

describe('validatePipeline', () => {
  it('accepts a valid document, applies defaults and infers schemas', () => {
    const result = validatePipeline(valid());
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.document!.settings).toEqual({ mode: 'native', batchIntervalMs: 200, guarantee: 'at-least-once', checkpointIntervalMs: 5000, retainedCheckpoints: 3,
      restart: { strategy: 'exponential-backoff', initialDelay: '1s', maxDelay: '1m', multiplier: 1.5, resetAfter: '1h' } });
    expect(result.document!.nodes[0].params).toMatchObject({ limit: 0, seed: 42 });
    expect(Object.keys(result.schemas!.per_country.out.fields)).toEqual(['window_start', 'window_end', 'country', 'views']);
    expect(result.schemas!.views.out.fields.price.type).toBe('number');
  });

  it('refuses a non-object', () => {
    expect(validatePipeline('nope').errors[0]).toMatchObject({ code: 'invalid_document', path: '' });
    expect(validatePipeline([]).ok).toBe(false);
  });

  it('reads a version-1 document as version 2 (which adds settings.parallelism and tests), and refuses version 3', () => {
    const result = validatePipeline(valid());
    expect(result.ok).toBe(true);
    expect(result.document!.format).toBe('eddy/pipeline@2');
    expect(validatePipeline({ ...valid(), format: 'eddy/pipeline@2', settings: { parallelism: 2 } }).ok).toBe(true);
    const [e] = errorsOf((d) => { d.format = 'eddy/pipeline@3'; });
    expect(e.message).toContain("this Eddy reads 'eddy/pipeline@2'");
  });

  it('refuses an unknown format version', () => {
    const [e] = errorsOf((d) => { d.format = 'eddy/pipeline@9'; });
    expect(e).toMatchObject({ code: 'unknown_format', path: 'format' });
    expect(e.message).toContain('eddy/pipeline@9');
    expect(errorsOf((d) => { delete (d as Partial<Doc>).format; })[0].code).toBe('unknown_format');
  });

  it('refuses a format nested thousands deep or megabytes long without echoing it (found by the fuzz suite)', () => {
    const deep = JSON.parse(`${'['.repeat(10_000)}1${']'.repeat(10_000)}`) as unknown;
    const [e] = errorsOf((d) => { d.format = deep as string; });
    expect(e).toMatchObject({ code: 'unknown_format', path: 'format' });
    expect(e.message).toContain('(an array)');
    const [long] = errorsOf((d) => { d.format = 'x'.repeat(1_000_000); });
    expect(long.message.length).toBeLessThan(300);
  });

  it('refuses an unknown kind, naming the node', () => {
    const [e] = errorsOf((d) => { d.nodes[1].kind = 'filtre'; });
    expect(e).toMatchObject({ code: 'unknown_kind', nodeId: 'views', path: 'nodes[1].kind' });
  });

  it('refuses a duplicate node id', () => {
    const errors = errorsOf((d) => { d.nodes[2].id = 'views'; });
    expect(errors.find((e) => e.code === 'duplicate_node_id')).toMatchObject({ nodeId: 'views', path: 'nodes[2].id' });
  });

  it('refuses a dangling edge', () => {
    const errors = errorsOf((d) => { d.edges[1].to = 'nowhere'; });
    expect(errors.find((e) => e.code === 'dangling_edge')).toMatchObject({ path: 'edges[1].to' });
    expect(errors.find((e) => e.code === 'dangling_edge')!.message).toContain('nowhere');
  });

  it('refuses an unknown port', () => {
    const errors = errorsOf((d) => { (d.edges[2] as Record<string, string>).fromPort = 'late_records'; });
    const e = errors.find((x) => x.code === 'unknown_port')!;
    expect(e).toMatchObject({ nodeId: 'per_country', path: 'edges[2].fromPort' });
    expect(e.message).toContain('out, late');
  });

  it('refuses a cycle', () => {
    const errors = errorsOf((d) => {
      d.nodes.push({ id: 'again', kind: 'filter', params: { where: 'true' } });
      d.edges[0] = { from: 'again', to: 'views' };
      d.edges.push({ from: 'views', to: 'again' });
    });
    expect(errors.filter((e) => e.code === 'cycle').map((e) => e.nodeId).sort()).toEqual(['again', 'views']);
  });

  it('refuses a missing or invalid param with its path', () => {
    const missing = errorsOf((d) => { d.nodes[1].params = {} as never; });
    expect(missing[0]).toMatchObject({ code: 'invalid_param', nodeId: 'views', path: 'nodes[1].params.where' });
    const invalid = errorsOf((d) => { (d.nodes[2].params as Record<string, unknown>).size = 'ten seconds'; });
    expect(invalid[0]).toMatchObject({ nodeId: 'per_country', path: 'nodes[2].params.size' });
    expect(invalid[0].message).toContain('10s');
    const noSize = errorsOf((d) => { delete (d.nodes[2].params as Record<string, unknown>).size; });
    expect(noSize[0]).toMatchObject({ path: 'nodes[2].params.size', message: 'A tumbling window needs a size' });
  });

  it('refuses an expression syntax error with its range', () => {
    const [e] = errorsOf((d) => { d.nodes[1].params = { where: "event_type = 'page_view' AND (" }; });
    expect(e).toMatchObject({ code: 'expression_syntax', nodeId: 'views', path: 'nodes[1].params.where' });
    expect(e.range!.start).toBeGreaterThan(20);
  });

  it('refuses an unknown field in an expression', () => {
    const [e] = errorsOf((d) => { d.nodes[1].params = { where: "evnt_type = 'page_view'" }; });
    expect(e).toMatchObject({ code: 'unknown_field', nodeId: 'views', path: 'nodes[1].params.where', range: { start: 0, end: 9 } });
    expect(e.message).toContain('event_type');
  });

  it('refuses an unknown keyBy field and a non-boolean filter', () => {
    const keyErr = errorsOf((d) => { (d.nodes[2].params as { keyBy: string[] }).keyBy = ['land']; });
    expect(keyErr[0]).toMatchObject({ code: 'unknown_field', nodeId: 'per_country', path: 'nodes[2].params.keyBy[0]' });
    const typeErr = errorsOf((d) => { d.nodes[1].params = { where: 'price * 2' }; });
    expect(typeErr[0]).toMatchObject({ code: 'expression_type', nodeId: 'views' });
  });

  it('refuses an unconnected input and a second edge into a single input', () => {
    const unconnected = errorsOf((d) => { d.edges.splice(1, 1); });
    expect(unconnected.find((e) => e.code === 'unconnected_input')).toMatchObject({ nodeId: 'per_country' });
    const twice = errorsOf((d) => { d.edges.push({ from: 'clicks', to: 'per_country' }); });
    expect(twice.find((e) => e.code === 'too_many_inputs')).toMatchObject({ nodeId: 'per_country' });
  });

  it('refuses bad envelope fields with node ids', () => {
    const errors = errorsOf((d) => { d.nodes[1].id = '1 bad id'; });
    expect(errors[0]).toMatchObject({ code: 'invalid_field', path: 'nodes[1].id', nodeId: '1 bad id' });
    const settings = errorsOf((d) => { d.settings = { mode: 'turbo' }; });
    expect(settings[0].path).toBe('settings.mode');
  });

  it('refuses exactly-once with a sink that cannot commit, naming the node and why; a live table is a view and passes', () => {
    const doc = valid() as ReturnType<typeof valid> & { settings?: object };
    doc.settings = { guarantee: 'exactly-once' };
    expect(validatePipeline(doc).errors).toEqual([]);
    doc.nodes.push({ id: 'log', kind: 'sink.log', params: {} } as never);
    doc.edges.push({ from: 'per_country', to: 'log' });
    const { errors } = validatePipeline(doc);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'guarantee_unsupported', nodeId: 'log', path: 'nodes[4].kind' });
    expect(errors[0].message).toMatch(/exactly-once.*sink.log 'log' cannot give it: a log line cannot be taken back/);
    doc.settings = { guarantee: 'at-least-once' };
    expect(validatePipeline(doc).ok).toBe(true);
  });

  it('says which guarantee holds on each edge and why it is weaker than the setting', () => {
    const doc = validatePipeline({ ...valid(), settings: { guarantee: 'exactly-once' } }).document!;
    expect(edgeGuarantees(doc).map((g) => g.guarantee)).toEqual(['exactly-once', 'exactly-once', 'at-least-once']);
    expect(edgeGuarantees(doc)[2].reason).toMatch(/sink.live 'live': a live table is a view/);
    const alo = validatePipeline(valid()).document!;
    expect(edgeGuarantees(alo).every((g) => g.guarantee === 'at-least-once' && g.reason === null)).toBe(true);
  });

  it('notes on the edge when a window gets no event time from its source', () => {
    const doc = validatePipeline({
      format: 'eddy/pipeline@1', name: 'untimed',
      nodes: [
        { id: 'f', kind: 'source.file', params: { path: 'x.jsonl' } },
        { id: 'w', kind: 'window', params: { size: '1s', aggregates: [{ name: 'n', fn: 'count' }] } },
        { id: 'live', kind: 'sink.live', params: {} },
      ],
      edges: [{ from: 'f', to: 'w' }, { from: 'w', to: 'live' }],
    }).document!;
    const notes = edgeTimeNotes(doc);
    expect(notes[0]).toMatch(/source 'f' declares no eventTime, so window 'w' uses ingestion time/);
    expect(notes[1]).toBeNull();
    (doc.nodes[0].params as Record<string, unknown>).eventTime = { field: 'ts', maxOutOfOrderness: '1s' };
    expect(edgeTimeNotes(doc)[0]).toBeNull();
  });
});
