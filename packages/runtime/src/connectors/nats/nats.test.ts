import { connect, DeliverPolicy, type JetStreamManager, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKind, validatePipeline, type ParamsOf } from '@eddy/shared';
import { runPipeline } from '../../harness/run-pipeline.js';
import { NatsSource } from './source.js';
import type { Rec } from '../../core/batch.js';
import { subjectTemplate } from './sink.js';

// The real NATS JetStream server on this machine (no mocks).
const URL = process.env.EDDY_TEST_NATS ?? 'nats://127.0.0.1:4222';
const stream = `EDDY_TEST_${process.pid}`;
const base = `eddy.test.${process.pid}`;
let nc: NatsConnection;
let jsm: JetStreamManager;

const orders = Array.from({ length: 300 }, (_, i) => ({ ts: 1000 + i * 100 - (i % 7) * 40, user: `u${i % 5}`, amount: i }));

beforeAll(async () => {
  nc = await connect({ servers: URL });
  jsm = await nc.jetstreamManager();
  await jsm.streams.add({ name: stream, subjects: [`${base}.>`] });
  const js = nc.jetstream();
  for (const [i, o] of orders.entries()) {
    await js.publish(`${base}.orders`, JSON.stringify(o));
    if (i === 150) await js.publish(`${base}.orders`, 'not json');
    if (i % 6 === 0) await js.publish(`${base}.other`, JSON.stringify({ ts: 0, user: 'x', amount: -1 }));
  }
});
afterAll(async () => {
  await jsm.streams.delete(stream).catch(() => undefined);
  await nc.close();
});

const source = (extra: object = {}) => ({
  id: 'src', kind: 'source.nats',
  params: { url: URL, stream, subject: `${base}.orders`, stopAtEnd: true, eventTime: { field: 'ts', maxOutOfOrderness: '1s' },
    fields: [{ name: 'ts', type: 'number' }, { name: 'user', type: 'string' }, { name: 'amount', type: 'number' }], ...extra },
});
const pipeline = (out: string) => ({
  format: 'eddy/pipeline@1', name: 'nats',
  nodes: [
    source(),
    { id: 'w', kind: 'window', params: { size: '5s', keyBy: ['user'], aggregates: [{ name: 'n', fn: 'count' }, { name: 'total', fn: 'sum', field: 'amount' }] } },
    { id: 'out', kind: 'sink.nats', params: { url: URL, subject: `${base}.${out}.{user}` } },
  ],
  edges: [{ from: 'src', to: 'w' }, { from: 'w', to: 'out' }],
});

/** The windows, computed here independently of the engine. */
function expectedWindows(): Rec[] {
  const acc = new Map<string, Rec>();
  for (const o of orders) {
    const start = Math.floor(o.ts / 5000) * 5000;
    const k = `${start}|${o.user}`;
    const row = acc.get(k) ?? { window_start: start, window_end: start + 5000, user: o.user, n: 0, total: 0 };
    row.n = (row.n as number) + 1;
    row.total = (row.total as number) + o.amount;
    acc.set(k, row);
  }
  return sortRows([...acc.values()]);
}
const sortRows = (rows: Rec[]) => [...rows].sort((a, b) => (a.window_start as number) - (b.window_start as number) || String(a.user).localeCompare(String(b.user)));

/** Everything published on a subject filter, read back from the stream. */
async function readBack(filter: string): Promise<{ subject: string; seq: number; data: Rec | null }[]> {
  const consumer = await nc.jetstream().consumers.get(stream, { filterSubjects: filter });
  const out: { subject: string; seq: number; data: Rec | null }[] = [];
  for (;;) {
    const batch = await consumer.fetch({ max_messages: 500, expires: 1000 });
    let n = 0;
    for await (const m of batch) {
      let data: Rec | null = null;
      try { data = m.json<Rec>(); } catch { /* the deliberately broken message */ }
      out.push({ subject: m.subject, seq: m.seq, data });
      n++;
      if (m.info.pending === 0) return out;
    }
    if (n === 0) return out;
  }
}

describe('NATS JetStream source and sink', () => {
  it.each(['native', 'microbatch'] as const)('stream → keyed window → NATS subjects per user: the independent answer (%s)', async (mode) => {
    const r = await runPipeline(pipeline(mode), {}, { mode });
    expect(r.deadLetters.map((d) => d.reason)).toEqual([expect.stringMatching(/^source.nats 'src': message \d+ on eddy\.test\.\d+\.orders is not a JSON object$/)]);
    const published = await readBack(`${base}.${mode}.>`);
    expect(sortRows(published.map((p) => p.data!))).toEqual(expectedWindows());
    expect(published.every((p) => p.subject === `${base}.${mode}.${p.data!.user}`)).toBe(true);
  });

  it('resumes after the checkpointed stream sequence: nothing before it, nothing missed after it', async () => {
    const params = getKind('source.nats')!.params.parse(source().params) as ParamsOf<'source.nats'>;
    const all = new NatsSource(params, 'src');
    const flat: Rec[] = [];
    await all.run({ push: (records: Rec[]) => void flat.push(...records), deadLetter: () => undefined }, new AbortController().signal);
    expect(flat).toEqual(orders);
    // Resume from the stream sequence of the 100th order, as a checkpoint taken after it would hold.
    const stored = await readBack(`${base}.orders`);
    const seq100 = stored.filter((m) => m.data !== null)[99].seq;
    const resumed = new NatsSource(params, 'src');
    resumed.restorePosition(seq100);
    const rest: Rec[] = [];
    await resumed.run({ push: (records: Rec[]) => void rest.push(...records), deadLetter: () => undefined }, new AbortController().signal);
    expect(rest).toEqual(orders.slice(100));
    expect(resumed.checkpointPosition()).toBe(stored[stored.length - 1].seq);
  });

  it('guarantees: a NATS source can feed exactly-once; a NATS sink cannot give it, and says why', () => {
    const eo = (sink: object) => validatePipeline({ ...pipeline('x'), settings: { guarantee: 'exactly-once' },
      nodes: [source(), { id: 'out', ...sink }], edges: [{ from: 'src', to: 'out' }] });
    expect(eo({ kind: 'sink.file', params: { path: 'out.jsonl' } }).errors).toEqual([]);
    expect(eo({ kind: 'sink.nats', params: { subject: 'x' } }).errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/exactly-once.*a published message cannot be taken back/),
    ]);
  });

  it('subject templates take record values, never producing an invalid subject', () => {
    const subject = subjectTemplate('alerts.{device}.{zone}');
    expect(subject({ device: 'd1', zone: 'north' })).toBe('alerts.d1.north');
    expect(subject({ device: 'a b.c', zone: null })).toBe('alerts.a_b_c._');
    expect(subjectTemplate('plain')({})).toBe('plain');
  });

  it('a stream that does not exist fails the deployment with the reason', async () => {
    await expect(runPipeline({ ...pipeline('y'), nodes: [source({ stream: 'NO_SUCH_STREAM_HERE' }), ...pipeline('y').nodes.slice(1)] }))
      .rejects.toThrow(/source.nats 'src': stream 'NO_SUCH_STREAM_HERE': stream not found/);
  });
});
