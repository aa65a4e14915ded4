import { REWARM_MAX_MS, REWARM_MS, REWARM_SLACK, WARMUP_MS, WARMUP_RUNS } from './impls.js';

/**
 * Warm-up runs of the small file, the same for every implementation. `initial` brings a child to
 * its steady state (at least WARMUP_RUNS runs and WARMUP_MS) and keeps the median time of its last
 * runs as the steady run time. `again`, before each timed repetition (the implementations take
 * turns, bench/src/run.ts), runs for at least REWARM_MS and on until a run is back within
 * REWARM_SLACK of that steady time (at most REWARM_MAX_MS): after a child waited its turn, its
 * first runs are slower, by how much depending on how long it waited and on the machine
 * (ysb after 40 s idle and 0.5 s of runs: parallelism 1 489–810 ms, 2 372–492 ms; after 2 s:
 * 446–577 and 277–327; steady 459–482 and 263–324).
 */
export class Warmer {
  private steadyMs = Infinity;

  constructor(private readonly run: () => Promise<void>) {}

  async initial(): Promise<void> {
    const times = await this.runs((n, elapsed) => n < WARMUP_RUNS || elapsed < WARMUP_MS);
    const last = times.slice(-8).sort((a, b) => a - b);
    this.steadyMs = last[last.length >> 1];
  }

  /** Returns the runs it took. */
  async again(): Promise<number> {
    const times = await this.runs((n, elapsed, lastMs) => n < 1 || elapsed < REWARM_MS
      || (lastMs > this.steadyMs * REWARM_SLACK && elapsed < REWARM_MAX_MS));
    return times.length;
  }

  private async runs(more: (n: number, elapsedMs: number, lastMs: number) => boolean): Promise<number[]> {
    const times: number[] = [];
    const start = performance.now();
    for (let last = Infinity; more(times.length, performance.now() - start, last);) {
      const t0 = performance.now();
      await this.run();
      times.push((last = performance.now() - t0));
    }
    return times;
  }
}
