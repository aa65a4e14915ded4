import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cli } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'eddy-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

const input = [
  { ts: 1000, country: 'DE', event_type: 'page_view' },
  { ts: 1400, country: 'US', event_type: 'page_view' },
  { ts: 1800, country: 'DE', event_type: 'purchase' },
  { ts: 2100, country: 'DE', event_type: 'page_view' },
  { ts: 1900, country: 'DE', event_type: 'page_view' },
  { ts: 3500, country: 'US', event_type: 'page_view' },
];
writeFileSync(join(dir, 'clicks.jsonl'), input.map((r) => JSON.stringify(r)).join('\n') + '\n');
const pipeline = (out: string) => ({
  format: 'eddy/pipeline@1', name: 'cli test',
  nodes: [
    { id: 'src', kind: 'source.file', params: { path: 'clicks.jsonl', eventTime: { field: 'ts', maxOutOfOrderness: '500ms' } } },
    { id: 'views', kind: 'filter', params: { where: "event_type = 'page_view'" } },
    { id: 'w', kind: 'window', params: { size: '1s', keyBy: ['country'], aggregates: [{ name: 'views', fn: 'count' }] } },
    { id: 'out', kind: 'sink.file', params: { path: out } },
  ],
  edges: [{ from: 'src', to: 'views' }, { from: 'views', to: 'w' }, { from: 'w', to: 'out' }],
});
writeFileSync(join(dir, 'p.json'), JSON.stringify(pipeline('out/views.jsonl')));
const readRows = (file: string) => readFileSync(join(dir, file), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

const expected = [
  { window_start: 1000, window_end: 2000, country: 'DE', views: 2 },
  { window_start: 1000, window_end: 2000, country: 'US', views: 1 },
  { window_start: 2000, window_end: 3000, country: 'DE', views: 1 },
  { window_start: 3000, window_end: 4000, country: 'US', views: 1 },
];
const sorted = (rows: object[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('eddy CLI', () => {
  it('runs a pipeline to the end, relative paths against the file, same output in both modes', async () => {
    const c = capture();
    expect(await cli(['run', join(dir, 'p.json'), '--quiet'], c.io)).toBe(0);
    const native = readRows('out/views.jsonl');
    expect(sorted(native)).toEqual(sorted(expected));
    expect(await cli(['run', join(dir, 'p.json'), '--mode', 'microbatch', '--quiet'], c.io)).toBe(0);
    expect(readRows('out/views.jsonl')).toEqual(native);
  });

  it('--parallelism 2: the same rows as one thread, the plan printed once; bad values are usage errors (exit 2)', async () => {
    expect(await cli(['run', join(dir, 'p.json'), '--quiet'], capture().io)).toBe(0);
    const single = readRows('out/views.jsonl');
    const c = capture();
    expect(await cli(['run', join(dir, 'p.json'), '--quiet', '--parallelism', '2'], c.io)).toBe(0);
    expect(sorted(readRows('out/views.jsonl'))).toEqual(sorted(single));
    // describeExecution's words, once: the subtasks, and the window's input exchanged by key.
    expect(c.err.filter((l) => /^eddy: 2 subtasks run\b.*\bw\b/.test(l))).toHaveLength(1);
    expect(c.err).toContain('eddy: views.out → w.in: by key, pre-aggregated until each window fires before the exchange, only country crossing');
    expect(await cli(['run', join(dir, 'p.json'), '--quiet', '--parallelism', 'auto'], capture().io)).toBe(0);
    expect(sorted(readRows('out/views.jsonl'))).toEqual(sorted(single));
    const one = capture();
    expect(await cli(['run', join(dir, 'p.json'), '--quiet', '--parallelism', '1'], one.io)).toBe(0);
    expect(one.err).toEqual([]);
    for (const bad of ['0', '65', '1.5', 'many', '-1']) {
      const b = capture();
      expect(await cli(['run', join(dir, 'p.json'), `--parallelism=${bad}`], b.io)).toBe(2);
      expect(b.err[0]).toContain(`--parallelism is a whole number from 1 to 64 or 'auto', not '${bad}'`);
    }
    expect(await cli(['run', join(dir, 'p.json'), '--parallelism', '2', '--on', 'flink'], capture().io)).toBe(2);
  });

  it('prints per-node metrics on stderr', async () => {
    const c = capture();
    expect(await cli(['run', join(dir, 'p.json')], c.io)).toBe(0);
    expect(c.err.some((l) => /^\s+views\s+in\s+6\s+out\s+5\b/.test(l))).toBe(true);
  });

  it('validates: ok, errors with node id and path (exit 1), unreadable files (exit 2)', async () => {
    const ok = capture();
    expect(await cli(['validate', join(dir, 'p.json')], ok.io)).toBe(0);
    expect(ok.out[0]).toMatch(/^ok: .* \(4 nodes, 3 edges\)$/);
    const bad = pipeline('x.jsonl');
    bad.nodes[1].params = { where: "event_type = 'page_view" };
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
    const c = capture();
    expect(await cli(['validate', join(dir, 'bad.json')], c.io)).toBe(1);
    expect(c.out).toContain("[views] nodes[1].params.where: Unterminated string: add a closing '");
    expect(await cli(['validate', join(dir, 'missing.json')], capture().io)).toBe(2);
    writeFileSync(join(dir, 'garbage.json'), '{ nope');
    expect(await cli(['validate', join(dir, 'garbage.json')], capture().io)).toBe(2);
  });

  it('refuses bad arguments with usage (exit 2) and exports JSON', async () => {
    expect(await cli(['frobnicate'], capture().io)).toBe(2);
    expect(await cli(['run'], capture().io)).toBe(2);
    expect(await cli(['run', join(dir, 'p.json'), '--mode', 'turbo'], capture().io)).toBe(2);
    const c = capture();
    expect(await cli(['export', join(dir, 'p.json')], c.io)).toBe(0);
    expect(JSON.parse(c.out.join('\n')).settings.mode).toBe('native');
    expect(await cli(['export', join(dir, 'p.json'), '--to', 'yaml'], capture().io)).toBe(2);
  });

  it('exports Flink SQL, or says which node cannot be translated and why (exit 1)', async () => {
    const open = capture();
    expect(await cli(['export', join(dir, 'p.json'), '--to', 'flink-sql'], open.io)).toBe(1);
    expect(open.err[0]).toMatch(/^\[src\] not translatable: Source 'src' has an open schema/);
    expect(open.out).toEqual([]);
    const declared = pipeline('out/views.jsonl');
    declared.nodes[0].params = { ...declared.nodes[0].params, fields: [{ name: 'ts', type: 'number' }, { name: 'country', type: 'string' }, { name: 'event_type', type: 'string' }] } as typeof declared.nodes[0]['params'];
    writeFileSync(join(dir, 'declared.json'), JSON.stringify(declared));
    const c = capture();
    expect(await cli(['export', join(dir, 'declared.json'), '--to', 'flink-sql', '--out', join(dir, 'p.sql')], c.io)).toBe(0);
    const sql = readFileSync(join(dir, 'p.sql'), 'utf8');
    expect(sql).toContain("FROM TABLE(TUMBLE(TABLE `views`, DESCRIPTOR(`eddy_time`), INTERVAL '1' SECOND))");
    expect(sql).toContain('INSERT INTO `out`\nSELECT (EXTRACT(EPOCH FROM `window_start`) * 1000 + EXTRACT(MILLISECOND FROM `window_start`)) AS `window_start`');
    expect(c.err.some((l) => l.startsWith('[w] note: window_start and window_end are TIMESTAMP_LTZ(3)'))).toBe(true);
  });

  it('works as the installed `eddy` command', () => {
    const bin = fileURLToPath(new URL('../bin/eddy.js', import.meta.url));
    const r = spawnSync(process.execPath, [bin, 'validate', join(dir, 'bad.json')], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('[views] nodes[1].params.where');
  });

  it('--checkpoints: checkpoints a run, and a second run resumes from its final checkpoint (nothing twice)', async () => {
    const doc = { ...pipeline('out/ckpt.jsonl'), settings: { guarantee: 'exactly-once' } };
    writeFileSync(join(dir, 'ckpt.json'), JSON.stringify(doc));
    const ckpt = join(dir, 'ckpt-dir');
    const first = capture();
    expect(await cli(['run', join(dir, 'ckpt.json'), '--quiet', '--checkpoints', ckpt], first.io)).toBe(0);
    expect(readRows('out/ckpt.jsonl')).toEqual(expected);
    const second = capture();
    expect(await cli(['run', join(dir, 'ckpt.json'), '--quiet', '--checkpoints', ckpt, '--state', 'memory'], second.io)).toBe(0);
    expect(second.err.join('\n')).toMatch(/resuming from checkpoint \d+/);
    expect(readRows('out/ckpt.jsonl')).toEqual(expected);
    const fresh = capture();
    expect(await cli(['run', join(dir, 'ckpt.json'), '--quiet', '--checkpoints', ckpt, '--fresh'], fresh.io)).toBe(0);
    expect(readRows('out/ckpt.jsonl')).toEqual(expected);
    expect(await cli(['run', join(dir, 'ckpt.json'), '--state', 'cloud'], capture().io)).toBe(2);
  });
});
