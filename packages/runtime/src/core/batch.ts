/** A record: a plain JSON object. Operators never mutate a record they received. */
export type Rec = Record<string, unknown>;

/**
 * Records move between operators as batches of parallel arrays, never one call per record.
 * A batch is immutable once emitted (fan-out hands the same batch to several consumers).
 */
export interface Batch {
  records: Rec[];
  /** Event time of each record, epoch ms (ingestion time when the source has no eventTime). */
  times: number[];
  /**
   * The watermark in force when each record left its source. It lets an operator decide
   * lateness per record exactly as if records had flowed one by one, so native and
   * microbatch mode give the same rows and the same late records.
   */
  wms: number[];
  /** Monotonic clock (performance.now()) when the oldest record of the batch entered the source: end-to-end latency. */
  arrivedAt: number;
  /**
   * Parallel jobs: each record's position in the order it left the sources, kept through
   * stateless nodes, so records merged from several subtasks keep that order (ties of equal
   * watermark included). Absent on one thread and after stateful nodes.
   */
  seqs?: number[];
}

export const NO_WATERMARK = -Infinity;
/** The final watermark of a bounded input: fires every window. */
export const END_OF_TIME = Number.MAX_SAFE_INTEGER;

export function makeBatch(records: Rec[], times: number[], wms: number[], arrivedAt: number): Batch {
  return { records, times, wms, arrivedAt };
}

/** A batch of derived records (e.g. window results) that all share one time and watermark. */
export function uniformBatch(records: Rec[], time: number | number[], wm: number, arrivedAt: number): Batch {
  const n = records.length;
  const times = Array.isArray(time) ? time : new Array<number>(n).fill(time);
  return { records, times, wms: new Array<number>(n).fill(wm), arrivedAt };
}

/** Keeps the records at the chosen indexes (filter, route). */
export function selectBatch(batch: Batch, keep: number[]): Batch {
  if (keep.length === batch.records.length) return batch;
  const n = keep.length;
  const records = new Array<Rec>(n);
  const times = new Array<number>(n);
  const wms = new Array<number>(n);
  for (let j = 0; j < n; j++) {
    const i = keep[j];
    records[j] = batch.records[i];
    times[j] = batch.times[i];
    wms[j] = batch.wms[i];
  }
  const seqs = batch.seqs && keep.map((i) => batch.seqs![i]);
  return seqs ? { records, times, wms, arrivedAt: batch.arrivedAt, seqs } : { records, times, wms, arrivedAt: batch.arrivedAt };
}
