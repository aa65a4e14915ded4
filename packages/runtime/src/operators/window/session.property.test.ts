import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runPipeline } from '../../harness/run-pipeline.js';

/**
 * Session windows against a reference that replays docs/time.md literally, record by
 * record: fire what the watermark has passed, then place the record (late if the session
 * it touches has fired, or if its own [t, t + gap) already would have).
 */
interface Ev { ts: number; k: string; v: number }
interface Session { start: number; end: number; n: number; total: number }

function reference(events: Ev[], gap: number, ooo: number, lateness: number) {
  const open = new Map<string, Session[]>();
  const fired = new Map<string, Session[]>();
  const rows: Record<string, unknown>[] = [];
  const late: Ev[] = [];
  const fire = (wm: number) => {
    for (const [k, list] of open) {
      for (const s of list.filter((x) => x.end - 1 + lateness <= wm)) {
        rows.push({ window_start: s.start, window_end: s.end, k, n: s.n, total: s.total });
        fired.set(k, [...(fired.get(k) ?? []), s]);
      }
      open.set(k, list.filter((x) => x.end - 1 + lateness > wm));
    }
  };
  let maxTs = -Infinity;
  for (const e of events) {
    const wm = maxTs - ooo - 1;
    fire(wm);
    const start = e.ts;
    const end = e.ts + gap;
    const touches = (s: Session) => s.start <= end && start <= s.end;
    const joined = (open.get(e.k) ?? []).filter(touches);
    if ((fired.get(e.k) ?? []).some(touches) || (!joined.length && end - 1 + lateness <= wm)) {
      late.push(e);
    } else {
      const merged = joined.reduce((m, s) => ({ start: Math.min(m.start, s.start), end: Math.max(m.end, s.end), n: m.n + s.n, total: m.total + s.total }),
        { start, end, n: 1, total: e.v });
      open.set(e.k, [...(open.get(e.k) ?? []).filter((s) => !joined.includes(s)), merged]);
    }
    maxTs = Math.max(maxTs, e.ts);
  }
  fire(Number.MAX_SAFE_INTEGER);
  return { rows, late };
}

const sorted = <T>(rows: T[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('session windows against the reference', () => {
  it('merges, fires and marks late records as defined, in both modes', async () => {
    const events = fc.array(
      fc.record({ ts: fc.integer({ min: 0, max: 60 }).map((x) => x * 500), k: fc.constantFrom('a', 'b'), v: fc.integer({ min: 0, max: 9 }) }),
      { minLength: 1, maxLength: 80 },
    );
    await fc.assert(
      fc.asyncProperty(events, fc.constantFrom(500, 1000, 3000), fc.integer({ min: 0, max: 4000 }), fc.constantFrom(0, 1000),
        async (evs, gap, ooo, lateness) => {
          const expected = reference(evs, gap, ooo, lateness);
          const doc = {
            format: 'eddy/pipeline@1', name: 'sessions',
            nodes: [
              { id: 'src', kind: 'source.file', params: { path: 'unused.jsonl', eventTime: { field: 'ts', maxOutOfOrderness: `${ooo}ms` } } },
              { id: 'w', kind: 'window', params: { type: 'session', gap: `${gap}ms`, allowedLateness: `${lateness}ms`, keyBy: ['k'],
                aggregates: [{ name: 'n', fn: 'count' }, { name: 'total', fn: 'sum', field: 'v' }] } },
            ],
            edges: [{ from: 'src', to: 'w' }],
          };
          for (const mode of ['native', 'microbatch'] as const) {
            const r = await runPipeline(doc, { src: evs }, { mode, batchIntervalMs: 5, inputChunkSize: 5 });
            expect(sorted(r.outputs.w ?? [])).toEqual(sorted(expected.rows));
            expect(r.outputs['w.late'] ?? []).toEqual(expected.late);
          }
        }),
      { numRuns: 80 },
    );
  });
});
