import { describe, expect, it } from 'vitest';
import { LoadReports, MAX_IN_FLIGHT } from './load-reports.js';
import type { SubtaskLoad } from './protocol.js';

const microtasks = () => new Promise((r) => setImmediate(r));

/** The host's side, as subtask-threads.ts gates its sources. */
class HostView {
  sent = 0;
  heard: SubtaskLoad = { hostDone: 0, backlog: 0 };
  get gated(): boolean { return this.sent - this.heard.hostDone > MAX_IN_FLIGHT || this.heard.backlog > 4 * MAX_IN_FLIGHT; }
}

describe('LoadReports', () => {
  it('sends no load alone while the host is far from its limits; the load rides on the next message', async () => {
    const alone: SubtaskLoad[] = [];
    const loads = new LoadReports((l) => alone.push(l));
    for (let i = 0; i < 3; i++) { loads.received(true); loads.handled(true); }
    await microtasks();
    expect(alone).toEqual([]);
    expect(loads.take()).toEqual({ hostDone: 3, backlog: 0 });
    expect(loads.take()).toBeNull();
  });

  it('reports alone once more than half the in-flight limit of host messages is unreported', async () => {
    const alone: SubtaskLoad[] = [];
    const loads = new LoadReports((l) => alone.push(l));
    for (let i = 0; i < MAX_IN_FLIGHT; i++) loads.received(true);
    for (let i = 0; i < MAX_IN_FLIGHT; i++) loads.handled(true);
    await microtasks();
    expect(alone).toEqual([{ hostDone: MAX_IN_FLIGHT, backlog: 0 }]);
  });

  it('reports a backlog of peer messages the host must hold its sources for, and its draining', async () => {
    const alone: SubtaskLoad[] = [];
    const loads = new LoadReports((l) => alone.push(l));
    for (let i = 0; i < 5 * MAX_IN_FLIGHT; i++) loads.received(false);
    loads.handled(false);
    await microtasks();
    expect(alone.at(-1)).toEqual({ hostDone: 0, backlog: 5 * MAX_IN_FLIGHT - 1 });
    for (let i = 1; i < 5 * MAX_IN_FLIGHT; i++) { loads.handled(false); await microtasks(); }
    expect(alone.at(-1)!.backlog).toBeLessThanOrEqual(2 * MAX_IN_FLIGHT);
  });

  it('never leaves the host waiting once the subtask has handled everything (seeded random traffic)', async () => {
    for (let seed = 1; seed <= 200; seed++) {
      let s = seed;
      const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
      const host = new HostView();
      const inFlight: boolean[] = []; // messages on their way to the subtask (true: from the host)
      const waiting: boolean[] = []; // received, not handled
      const reports: SubtaskLoad[] = []; // on their way to the host
      const loads = new LoadReports((l) => reports.push(l));
      let peerSent = 0;
      for (let step = 0; step < 400; step++) {
        const r = rand();
        if (r < 0.3 && !host.gated) { host.sent++; inFlight.push(true); }
        else if (r < 0.4 && peerSent < 300) { peerSent++; inFlight.push(false); }
        else if (r < 0.6 && inFlight.length) { const fromHost = inFlight.shift()!; loads.received(fromHost); waiting.push(fromHost); }
        else if (r < 0.85 && waiting.length) loads.handled(waiting.shift()!);
        else if (r < 0.9) { const l = loads.take(); if (l) reports.push(l); } // rode on an events message
        else { await microtasks(); while (reports.length) host.heard = reports.shift()!; }
      }
      // Everything arrives and is handled; what the subtask reported reaches the host.
      while (inFlight.length) { const fromHost = inFlight.shift()!; loads.received(fromHost); waiting.push(fromHost); }
      while (waiting.length) loads.handled(waiting.shift()!);
      await microtasks();
      while (reports.length) host.heard = reports.shift()!;
      expect(host.gated, `seed ${seed}`).toBe(false);
    }
  });
});
