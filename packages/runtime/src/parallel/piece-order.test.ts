import { describe, expect, it } from 'vitest';
import { PieceOrder, type Delivery, type PieceNews } from './piece-order.js';

const news = (piece: number, max: number, ctl = 0): PieceNews => ({ source: 'src', piece, max, seqEnd: 10 * (piece + 1), ctl });

/** An order over one source (bound 10 ms, restored at 1000) that logs deliveries and controls. */
function order(onDelivery: (d: Delivery) => void | Promise<void> = () => undefined) {
  const log: string[] = [];
  const o = new PieceOrder((d) => { log.push(`piece ${d.piece} base ${d.base} wm ${d.wm}`); return onDelivery(d); });
  o.addSource('src', 10, { maxEventTime: 1000 });
  return { o, log };
}

describe('PieceOrder', () => {
  it('delivers pieces in the order they were cut, each once the ones before it are parsed, with the greatest time before it', () => {
    const { o, log } = order();
    void o.parsed(news(2, 1500));
    void o.parsed(news(1, 900));
    expect(log).toEqual([]);
    void o.parsed(news(0, 1200));
    // base: the greatest event time before the piece (restored 1000 first); wm: the source's after it (greatest − 10 − 1).
    expect(log).toEqual(['piece 0 base 1000 wm 1189', 'piece 1 base 1200 wm 1189', 'piece 2 base 1200 wm 1489']);
    expect(o.delivered).toBe(3);
    void o.parsed(news(1, 5000)); // news of a piece already delivered (a repeat) changes nothing
    expect(o.delivered).toBe(3);
  });

  it('runs a control event right after its piece; a piece waits for the control events sent before it was cut', () => {
    const { o, log } = order();
    void o.parsed(news(0, 1100));
    void o.parsed(news(2, 1300, 1)); // cut after one control event, which has not come yet
    void o.parsed(news(1, 1200));
    expect(log).toEqual(['piece 0 base 1000 wm 1089', 'piece 1 base 1100 wm 1189']);
    void o.control(1, () => { log.push('barrier after 1'); });
    expect(log.slice(2)).toEqual(['barrier after 1', 'piece 2 base 1200 wm 1289']);
    void o.control(4, () => { log.push('after 4'); });
    void o.control(5, () => { log.push('end after 5'); });
    void o.parsed(news(4, 1500, 1));
    void o.parsed(news(3, 1400, 1));
    expect(log.slice(4)).toEqual(['piece 3 base 1300 wm 1389', 'piece 4 base 1400 wm 1489', 'after 4']);
    void o.parsed(news(5, 1600, 2));
    expect(log.slice(7)).toEqual(['piece 5 base 1500 wm 1589', 'end after 5']);
  });

  it('a delivery that takes time holds back the ones after it and the controls between them', async () => {
    let release!: () => void;
    const { o, log } = order((d) => (d.piece === 0 ? new Promise<void>((ok) => { release = ok; }) : undefined));
    const chain = o.parsed(news(0, 1100));
    void o.control(0, () => { log.push('barrier after 0'); });
    void o.parsed(news(1, 1200, 1));
    expect(log).toEqual(['piece 0 base 1000 wm 1089']);
    release();
    await chain;
    await new Promise((ok) => setTimeout(ok, 0));
    expect(log).toEqual(['piece 0 base 1000 wm 1089', 'barrier after 0', 'piece 1 base 1100 wm 1189']);
  });

  it('a source of several splits: each piece\'s base is its split\'s, the watermark the least over splits, declared after a piece', () => {
    const o = new PieceOrder((d) => { got.push(d); });
    const got: Delivery[] = [];
    o.addSource('k', 0);
    void o.control(-1, () => o.tracker('k').declare(['a', 'b']));
    void o.parsed({ source: 'k', piece: 0, max: 5000, seqEnd: 1, split: 'a', ctl: 1 });
    void o.parsed({ source: 'k', piece: 1, max: 3000, seqEnd: 2, split: 'b', ctl: 1 });
    // Piece 0: split b has no records yet, so it holds the watermark back (cap −∞); piece 1: a is at 4999, b at 2999.
    expect(got.map(({ piece, base, wm, cap }) => ({ piece, base, wm, cap }))).toEqual([
      { piece: 0, base: -Infinity, wm: -Infinity, cap: -Infinity },
      { piece: 1, base: -Infinity, wm: 2999, cap: 4999 },
    ]);
  });
});
