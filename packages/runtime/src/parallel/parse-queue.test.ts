import { describe, expect, it } from 'vitest';
import { MessageChannel } from 'node:worker_threads';
import { ParseQueue } from './parse-queue.js';
import { Outbox, type WireEvent } from './wire.js';

const turn = () => new Promise((r) => setImmediate(r));

describe('ParseQueue', () => {
  it('parses one piece per turn, in order, after the messages that came before the turn', async () => {
    const seen: string[] = [];
    const q = new ParseQueue((err) => { throw err; });
    const { port1, port2 } = new MessageChannel();
    port2.on('message', (m: string) => {
      seen.push(`message ${m}`);
      if (m.startsWith('r')) q.add(() => seen.push(`parse ${m}`));
    });
    // Three pieces and a delivery arrive together: the delivery is handled before the second piece is parsed.
    for (const m of ['r0', 'r1', 'r2', 'f0']) port1.postMessage(m);
    for (let i = 0; i < 10 && seen.length < 7; i++) await turn();
    expect(seen).toEqual(['message r0', 'message r1', 'message r2', 'message f0', 'parse r0', 'parse r1', 'parse r2']);
    port1.close();
  });

  it('reports a parse that throws and goes on with the next piece', async () => {
    const errors: unknown[] = [];
    const done: number[] = [];
    const q = new ParseQueue((err) => errors.push(err));
    q.add(() => { throw new Error('bad piece'); });
    q.add(() => done.push(1));
    await turn(); await turn(); await turn();
    expect((errors[0] as Error).message).toBe('bad piece');
    expect(done).toEqual([1]);
  });

  it('drops what is not parsed once closed', async () => {
    const done: number[] = [];
    const q = new ParseQueue(() => undefined);
    q.add(() => done.push(1));
    q.add(() => done.push(2));
    q.close();
    q.add(() => done.push(3));
    await turn(); await turn(); await turn();
    expect(done).toEqual([]);
  });

  it('with an outbox: what is sent while a piece waits leaves with that piece\'s news, one message; nothing is left behind', async () => {
    const posted: string[][] = [];
    let q: ParseQueue;
    const outbox = new Outbox((_dest, events) => { posted.push(events.map((e) => (e.k === 'm' ? `m${e.piece}` : e.k))); }, 0, null, undefined, () => q.pending);
    q = new ParseQueue((err) => { throw err; }, () => outbox.flush());
    const m = (piece: number): WireEvent => ({ k: 'm', source: 's', piece, max: 0, seqEnd: piece + 1, ctl: 0 });
    q.add(() => outbox.add(-1, m(0)));
    q.add(() => outbox.add(-1, m(1)));
    // A delivery's taps while pieces wait: they go with the next piece's greatest time.
    outbox.add(-1, { k: 't', node: 'n', port: 'out', records: [] });
    for (let i = 0; i < 5; i++) await turn();
    // Nothing waits to be parsed: a tap goes at once (this turn's microtask).
    outbox.add(-1, { k: 't', node: 'n', port: 'out', records: [] });
    await Promise.resolve();
    expect(posted).toEqual([['t', 'm0'], ['m1'], ['t']]);
  });
});
