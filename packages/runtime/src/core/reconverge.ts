import type { Batch } from './batch.js';
import { isPromise, type MaybePromise } from './async.js';

/**
 * Where a stream fans out and meets again (source → route → union, both sides of a join
 * from one source), the branches' batches reach the meeting node one after the other,
 * not in the order the records left the source. A node with several inputs therefore
 * buffers what arrives during one mailbox task and hands it to its operator ordered by
 * watermark — the order the records would have had flowing one at a time — before its
 * own watermark moves or the task ends. Timers then fire between the right records.
 */
export interface Drainable {
  /** Position in topological order: upstream nodes drain first. */
  readonly order: number;
  drain(): MaybePromise;
}

/** The nodes with buffered input, drained in topological order at the end of each task. */
export class ReconvergeQueue {
  private pending: Drainable[] = [];

  mark(node: Drainable): void {
    if (!this.pending.includes(node)) this.pending.push(node);
  }

  /** Drains every node with buffered input (and those its output reaches) before the task ends. */
  drainAll(): MaybePromise {
    while (this.pending.length) {
      let at = 0;
      for (let i = 1; i < this.pending.length; i++) if (this.pending[i].order < this.pending[at].order) at = i;
      const [node] = this.pending.splice(at, 1);
      const done = node.drain();
      if (isPromise(done)) return done.then(() => this.drainAll());
    }
  }
}

export interface BufferedInput { batch: Batch; port: string }

const lastWm = (b: Batch) => b.wms[b.wms.length - 1];

function sortedWithin(b: Batch): boolean {
  const w = b.wms;
  for (let i = 1; i < w.length; i++) if (w[i] < w[i - 1]) return false;
  return true;
}

/**
 * The buffered batches as runs of one port each, ordered by record watermark (ties keep
 * arrival order). Already-ordered input (the common case) comes back as it is.
 */
export function orderByWatermark(parts: BufferedInput[]): BufferedInput[] {
  if (parts.length < 2) return parts;
  let ordered = true;
  for (let p = 0; p < parts.length && ordered; p++) {
    if (!sortedWithin(parts[p].batch) || (p > 0 && lastWm(parts[p - 1].batch) > parts[p].batch.wms[0])) ordered = false;
  }
  if (ordered) return parts;
  const refs: [number, number][] = [];
  for (let p = 0; p < parts.length; p++) for (let i = 0; i < parts[p].batch.records.length; i++) refs.push([p, i]);
  // Array.prototype.sort is stable: equal watermarks keep arrival order.
  refs.sort((x, y) => parts[x[0]].batch.wms[x[1]] - parts[y[0]].batch.wms[y[1]]);
  const runs: BufferedInput[] = [];
  let run: Batch | null = null;
  let runPart = -1;
  for (const [p, i] of refs) {
    const src = parts[p].batch;
    if (!run || p !== runPart) {
      run = { records: [], times: [], wms: [], arrivedAt: src.arrivedAt };
      runPart = p;
      runs.push({ batch: run, port: parts[p].port });
    }
    run.records.push(src.records[i]);
    run.times.push(src.times[i]);
    run.wms.push(src.wms[i]);
    if (src.arrivedAt < run.arrivedAt) run.arrivedAt = src.arrivedAt;
  }
  return runs;
}

/** A batch whose record watermarks are capped at `cap` (records from another source bound by this one). */
export function capWatermarks(batch: Batch, cap: number): Batch {
  if (cap === Infinity) return batch;
  for (const w of batch.wms) if (w > cap) return { ...batch, wms: batch.wms.map((x) => (x < cap ? x : cap)) };
  return batch;
}
