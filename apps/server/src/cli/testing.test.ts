import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

/** Out-of-order clicks (some late), a filter, a keyed window with a late port, and two file sinks. */
function setUp() {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-cli-test-'));
  let seed = 9;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const lines = Array.from({ length: 400 }, (_, i) => JSON.stringify({
    ts: 1_700_000_000_000 + i * 50 - Math.floor(rnd() * 900) - (rnd() < 0.03 ? 3000 : 0),
    country: ['DE', 'US', 'FR', 'NL'][Math.floor(rnd() * 4)], event_type: rnd() < 0.7 ? 'page_view' : 'purchase',
  }));
  writeFileSync(join(dir, 'clicks.jsonl'), lines.join('\n') + '\n');
  const doc = {
    format: 'eddy/pipeline@1', name: 'tested',
    nodes: [
      { id: 'src', kind: 'source.file', params: { path: 'clicks.jsonl', eventTime: { field: 'ts', maxOutOfOrderness: '500ms' } } },
      { id: 'views', kind: 'filter', params: { where: "event_type = 'page_view'" } },
      { id: 'w', kind: 'window', params: { size: '2s', keyBy: ['country'], aggregates: [{ name: 'views', fn: 'count' }] } },
      { id: 'out', kind: 'sink.file', params: { path: 'out/views.jsonl' } },
      { id: 'late', kind: 'sink.file', params: { path: 'out/late.jsonl' } },
    ],
    edges: [{ from: 'src', to: 'views' }, { from: 'views', to: 'w' }, { from: 'w', to: 'out' }, { from: 'w', fromPort: 'late', to: 'late' }],
  };
  const file = join(dir, 'p.json');
  writeFileSync(file, JSON.stringify(doc));
  return { dir, file };
}

const tests = (file: string) => JSON.parse(readFileSync(file, 'utf8')).tests as { name: string; inputs: Record<string, unknown[]>; expected: Record<string, unknown[]> }[];

describe('eddy record and eddy test', { timeout: 60_000 }, () => {
  it('records what the source delivered and what each sink receives, writes nothing, and the case passes', async () => {
    const { dir, file } = setUp();
    const rec = capture();
    expect(await cli(['record', file, '--for', '5s', '--name', 'sample'], rec.io)).toBe(0);
    expect(rec.out.join('\n')).toContain("recorded 'sample': inputs src 400");
    expect(existsSync(join(dir, 'out'))).toBe(false); // sinks were captured
    const [t] = tests(file);
    expect(t.name).toBe('sample');
    expect(t.inputs.src).toHaveLength(400);
    expect(t.expected.out.length).toBeGreaterThan(10);
    expect(t.expected.late.length).toBeGreaterThan(0);
    const run = capture();
    expect(await cli(['test', file], run.io)).toBe(0);
    expect(run.out.join('\n')).toContain('✓ sample');
    // At parallelism 2 the stored case still passes: the same rows, late ones included.
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.settings = { ...doc.settings, parallelism: 2 };
    doc.tests[0].parallelism = 2;
    writeFileSync(file, JSON.stringify(doc));
    expect(await cli(['test', file], capture().io)).toBe(0);
  });

  it('fails with a readable diff when a filter changes, and --update accepts the new output', async () => {
    const { file } = setUp();
    expect(await cli(['record', file, '--name', 'sample', '--max-records', '300'], capture().io)).toBe(0);
    expect(tests(file)[0].inputs.src).toHaveLength(300);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.nodes[1].params.where = "event_type = 'purchase'";
    writeFileSync(file, JSON.stringify(doc));
    const run = capture();
    expect(await cli(['test', file], run.io)).toBe(1);
    const text = run.out.join('\n');
    expect(text).toMatch(/✗ sample\n {2}sink late: \d+ row\(s\) missing, \d+ not expected/);
    expect(text).toMatch(/sink out: \d+ row\(s\) missing, \d+ not expected\n {4}- \{"country":/);
    expect(text).toContain('1 of 1 case(s) failed');
    expect(await cli(['test', file, '--update'], capture().io)).toBe(0);
    expect(await cli(['test', file], capture().io)).toBe(0);
  });

  it('says what is wrong: no case, a case naming a node that is not a source, bad options', async () => {
    const { file } = setUp();
    const none = capture();
    expect(await cli(['test', file], none.io)).toBe(1);
    expect(none.err.join('\n')).toContain('has no test case');
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.tests = [{ name: 'x', inputs: { views: [] }, expected: {} }];
    writeFileSync(file, JSON.stringify(doc));
    const bad = capture();
    expect(await cli(['test', file], bad.io)).toBe(1);
    expect(bad.err.join('\n')).toContain("tests[0].inputs.views: Test case 'x': 'views' is not a source of this pipeline");
    expect(await cli(['record', file, '--for', 'soon'], capture().io)).toBe(2);
    expect(await cli(['record', file, '--max-records', '0'], capture().io)).toBe(2);
  });
});
