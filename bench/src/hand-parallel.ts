import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Row } from './aggregators.js';
import type { Runner } from './impls.js';
import type { Workload } from './workloads.js';

/** Bytes per range, cut at a line end: the size of Eddy's pieces. */
const RANGE_BYTES = 64 * 1024;
/** Ranges given to a thread ahead of its replies (Eddy reads 8 pieces per subtask ahead); a thread replies for those done meanwhile together. */
const AHEAD = 8;

/** A range's output: the `reads` fields of its rows, numbers in one column, anything else beside it. */
export interface RangeOut { i: number; n: number; nums: Float64Array; kinds: Uint8Array; others: unknown[] }
export type ToHandThread = { t: 'run'; workload: string; path: string } | { t: 'range'; i: number; from: number; to: number } | { t: 'end' };
export type FromHandThread = { t: 'outs'; outs: RangeOut[] } | { t: 'end'; rows: Row[] } | { t: 'error'; message: string };
/** A field's value in `kinds`: a number (in `nums`), absent, or another value (next in `others`). */
export const NUMBER = 0, ABSENT = 1, OTHER = 2;

/** The workloads the hand loop runs on several threads: whose answer reads only some fields of each row, or whose rows merge. */
export const handParallelCan = (w: Workload) => !!((w.stateless && w.reads) || w.mergeRows);

let pool: Worker[] = [];

/** Byte ranges of whole lines, about RANGE_BYTES each: only a few KB are read where each ends. */
function rangesOf(path: string): [number, number][] {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const probe = Buffer.allocUnsafe(4096);
    const out: [number, number][] = [];
    for (let from = 0; from < size;) {
      let to = Math.min(size, from + RANGE_BYTES);
      for (let at = to; at < size; at += probe.length) {
        const n = readSync(fd, probe, 0, probe.length, at);
        const nl = probe.subarray(0, n).indexOf(10);
        if (nl >= 0) { to = at + nl + 1; break; }
        to = Math.min(size, at + n);
      }
      out.push([from, to]);
      from = to;
    }
    return out;
  } finally {
    closeSync(fd);
  }
}

/**
 * The hand loop on `threads` worker threads, as a person would write it for this machine: each
 * thread reads its byte ranges of the file (handed out to the thread least behind), parses and
 * runs the stages; a stateless workload's rows come back cut to the fields the answer reads,
 * packed, and reach the answer in file order; a window's rows are merged (each thread windows
 * its own records). The limit for Eddy's parallelism in the same run.
 */
export function handParallel(threads: number): Runner {
  return (w, path, emit) => new Promise((resolve, reject) => {
    if (!handParallelCan(w)) { reject(new Error(`${w.name}: the parallel hand loop cannot run it`)); return; }
    if (pool.length !== threads) pool = Array.from({ length: threads }, () => new Worker(new URL('./hand-thread.js', import.meta.url)));
    const ranges = rangesOf(path);
    const done = new Array<RangeOut | undefined>(ranges.length);
    const behind = new Array<number>(threads).fill(0);
    const reads = w.reads ?? [];
    const merged = new Map<string, Row>();
    let next = 0;
    let emitted = 0;
    let ended = 0;
    let endSent = false;
    const give = () => {
      while (next < ranges.length) {
        let k = 0;
        for (let j = 1; j < threads; j++) if (behind[j] < behind[k]) k = j;
        if (behind[k] >= AHEAD) return;
        behind[k]++;
        const [from, to] = ranges[next];
        pool[k].postMessage({ t: 'range', i: next++, from, to } satisfies ToHandThread);
      }
      if (emitted === ranges.length && !endSent) {
        endSent = true;
        for (const t of pool) t.postMessage({ t: 'end' } satisfies ToHandThread);
      }
    };
    const emitInOrder = () => {
      for (let out = done[emitted]; out; out = done[++emitted]) {
        done[emitted] = undefined;
        const { n, nums, kinds, others } = out;
        let o = 0;
        for (let r = 0; r < n; r++) {
          const row: Row = {};
          for (let f = 0; f < reads.length; f++) {
            const at = r * reads.length + f;
            if (kinds[at] === NUMBER) row[reads[f]] = nums[at];
            else if (kinds[at] === OTHER) row[reads[f]] = others[o++];
          }
          emit(row);
        }
      }
    };
    const finish = (err?: Error) => {
      for (const t of pool) { t.removeAllListeners('message'); t.removeAllListeners('error'); t.unref(); }
      if (!err) { resolve(); return; }
      for (const t of pool) void t.terminate(); // a failed run's threads may be mid-range: the next run starts new ones
      pool = [];
      reject(err);
    };
    pool.forEach((t, k) => {
      t.ref();
      t.on('error', finish);
      t.on('message', (m: FromHandThread) => {
        if (m.t === 'error') { finish(new Error(m.message)); return; }
        if (m.t === 'outs') {
          behind[k] -= m.outs.length;
          for (const out of m.outs) done[out.i] = out;
          emitInOrder();
          give();
          return;
        }
        for (const row of m.rows) {
          const key = w.mergeRows!.key(row);
          const had = merged.get(key);
          merged.set(key, had ? w.mergeRows!.merge(had, row) : row);
        }
        if (++ended === threads) {
          for (const row of merged.values()) emit(row);
          finish();
        }
      });
      t.postMessage({ t: 'run', workload: w.name, path } satisfies ToHandThread);
    });
    give();
  });
}
