import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPipeline } from '../harness/run-pipeline.js';
import { GeneratorSource } from '../connectors/generator/source.js';
import { paramsOf } from '../test-utils/params.js';

/**
 * The shipped NEXMark examples, run as written (sinks write to a temp folder), each
 * checked against the answer computed here, independently, from the generated events.
 */
const examples = fileURLToPath(new URL('../../../../examples/nexmark/', import.meta.url));
const outDir = mkdtempSync(join(tmpdir(), 'eddy-nexmark-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

type Ev = Record<string, any>;
const load = (q: string) => JSON.parse(readFileSync(join(examples, `${q}.json`), 'utf8'));

function events(doc: { nodes: { kind: string; params: Record<string, unknown> }[] }): Ev[] {
  const params = doc.nodes.find((n) => n.kind === 'source.generator')!.params;
  const g = new GeneratorSource(paramsOf('source.generator', params), () => 0);
  return Array.from({ length: params.limit as number }, (_v, i) => g.record(i, params.startTime as number));
}

async function run(q: string, mode: 'native' | 'microbatch' = 'native') {
  const doc = load(q);
  await runPipeline(doc, {}, { baseDir: outDir, mode });
  return readFileSync(join(outDir, 'out', `${q}.jsonl`), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Ev);
}

const sorted = (rows: Ev[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const countBy = <T>(items: T[], key: (t: T) => string) => {
  const m = new Map<string, number>();
  for (const t of items) m.set(key(t), (m.get(key(t)) ?? 0) + 1);
  return m;
};

describe('NEXMark examples', () => {
  const evs = events(load('q0'));
  const bids = evs.filter((e) => e.type === 'bid');

  it('q0 passes every event through unchanged', async () => {
    expect(await run('q0')).toEqual(evs);
  });

  it('q1 converts bid prices to euros', async () => {
    expect(await run('q1')).toEqual(bids.map((b) => ({ auction: b.auction, bidder: b.bidder, price: b.price * 0.908, ts: b.ts })));
  });

  it('q2 selects bids on every 123rd auction', async () => {
    const expected = bids.filter((b) => b.auction % 123 === 0).map((b) => ({ auction: b.auction, price: b.price }));
    expect(expected.length).toBeGreaterThan(0);
    expect(await run('q2')).toEqual(expected);
  });

  it('q5 counts bids per auction in sliding windows, in both modes', async () => {
    const counts = new Map<string, number>();
    for (const b of bids) {
      for (let s = b.ts - (b.ts % 2000); s > b.ts - 10_000; s -= 2000) {
        const k = `${s}|${b.auction}`;
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
    }
    const expected = [...counts].map(([k, n]) => {
      const [s, a] = k.split('|').map(Number);
      return { window_start: s, window_end: s + 10_000, auction: a, bids: n };
    });
    const native = await run('q5');
    expect(sorted(native)).toEqual(sorted(expected));
    expect(sorted(await run('q5', 'microbatch'))).toEqual(sorted(native));
    // The hottest item of the first full window, from the rows.
    const first = native.filter((r) => r.window_start === 0);
    const hottest = first.reduce((a, b) => (b.bids > a.bids ? b : a));
    expect(hottest.bids).toBe(Math.max(...[...counts].filter(([k]) => k.startsWith('0|')).map(([, n]) => n)));
  });

  it('q7 finds the highest bid of each tumbling window', async () => {
    const byWindow = new Map<number, { max: number; n: number }>();
    for (const b of bids) {
      const w = b.ts - (b.ts % 10_000);
      const cur = byWindow.get(w) ?? { max: -Infinity, n: 0 };
      byWindow.set(w, { max: Math.max(cur.max, b.price), n: cur.n + 1 });
    }
    const expected = [...byWindow].map(([w, v]) => ({ window_start: w, window_end: w + 10_000, max_price: v.max, bids: v.n }));
    expect(sorted(await run('q7'))).toEqual(sorted(expected));
  });

  it('q8 joins new persons with the auctions they open in the same window', async () => {
    const persons = evs.filter((e) => e.type === 'person');
    const auctions = evs.filter((e) => e.type === 'auction');
    const expected: Ev[] = [];
    for (const p of persons) {
      for (const a of auctions) {
        if (a.seller === p.id && Math.floor(a.ts / 10_000) === Math.floor(p.ts / 10_000)) {
          expected.push({ id: p.id, name: p.name, auction: a.id, window_start: p.ts - (p.ts % 10_000) });
        }
      }
    }
    expect(expected.length).toBeGreaterThan(10);
    expect(sorted(await run('q8'))).toEqual(sorted(expected));
  });

  it('q11 counts bids per bidder session, in both modes', async () => {
    const byBidder = new Map<number, number[]>();
    for (const b of bids) byBidder.set(b.bidder, [...(byBidder.get(b.bidder) ?? []), b.ts]);
    const expected: Ev[] = [];
    for (const [bidder, times] of byBidder) {
      times.sort((x, y) => x - y);
      let start = times[0];
      let last = times[0];
      let n = 0;
      for (const t of times) {
        if (t > last + 2000) {
          expected.push({ window_start: start, window_end: last + 2000, bidder, bids: n });
          start = t;
          n = 0;
        }
        last = t;
        n++;
      }
      expected.push({ window_start: start, window_end: last + 2000, bidder, bids: n });
    }
    expect(countBy(expected, (e) => String(e.bidder)).size).toBeGreaterThan(5);
    const native = await run('q11');
    expect(sorted(native)).toEqual(sorted(expected));
    expect(sorted(await run('q11', 'microbatch'))).toEqual(sorted(native));
  });
});

/** Rows as sorted JSON lines: order within a window's output (and across subtasks) aside. */
const canonical = (rows: Ev[]) => rows.map((r) => JSON.stringify(r)).sort();

describe('NEXMark examples with data parallelism', { timeout: 60_000 }, () => {
  // Parallelism 2 in native mode and 4 in microbatch mode, each against the single-thread run.
  it.each(['q0', 'q1', 'q2', 'q5', 'q7', 'q8', 'q11'])('%s gives the same rows per node and in its file at parallelism 2 and 4', async (q) => {
    const outputsOf = async (parallelism: number, mode: 'native' | 'microbatch') => {
      const doc = load(q);
      doc.settings = { ...doc.settings, parallelism };
      const result = await runPipeline(doc, {}, { baseDir: outDir, mode, batchIntervalMs: 10 });
      expect(result.state).toBe('finished');
      const file = readFileSync(join(outDir, 'out', `${q}.jsonl`), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Ev);
      return { file: canonical(file), ...Object.fromEntries(Object.entries(result.outputs).map(([k, rows]) => [k, canonical(rows)])) };
    };
    const single = await outputsOf(1, 'native');
    expect(single.file.length).toBeGreaterThan(0);
    for (const [parallelism, mode] of [[2, 'native'], [4, 'microbatch']] as const) {
      const parallel = await outputsOf(parallelism, mode);
      expect(Object.keys(parallel).sort(), `${q} at ${parallelism}`).toEqual(Object.keys(single).sort());
      for (const [key, rows] of Object.entries(single)) expect(parallel[key], `${q} ${key} at ${parallelism} (${mode})`).toEqual(rows);
    }
  });
});
