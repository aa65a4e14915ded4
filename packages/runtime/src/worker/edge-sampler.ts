import type { Rec } from '../core/batch.js';

const MAX_RECORDS = 20;

/**
 * Samples of the edges someone watches, taken inside the worker so that only those cross
 * threads: per edge the newest MAX_RECORDS records since the last snapshot (the snapshot
 * interval makes it a per-second limit). Unwatched edges cost one Set lookup per batch.
 */
export class EdgeSampler {
  private watched: Set<string>;
  private readonly pending = new Map<string, { nodeId: string; port: string; records: Rec[] }>();

  constructor(edges: string[]) {
    this.watched = new Set(edges);
  }

  watch(edges: string[]): void {
    this.watched = new Set(edges);
    for (const edge of this.pending.keys()) if (!this.watched.has(edge)) this.pending.delete(edge);
  }

  /** The job's tap: called for every batch a node emits. */
  readonly tap = (nodeId: string, port: string, records: Rec[]): void => {
    if (this.watched.size === 0) return;
    const edge = `${nodeId}:${port}`;
    if (!this.watched.has(edge)) return;
    let entry = this.pending.get(edge);
    if (!entry) this.pending.set(edge, (entry = { nodeId, port, records: [] }));
    for (let i = Math.max(0, records.length - MAX_RECORDS); i < records.length; i++) entry.records.push(records[i]);
    if (entry.records.length > MAX_RECORDS) entry.records = entry.records.slice(-MAX_RECORDS);
  };

  /** The samples since the last call. */
  take(): [string, string, Rec[]][] {
    const out: [string, string, Rec[]][] = [];
    for (const { nodeId, port, records } of this.pending.values()) out.push([nodeId, port, records]);
    this.pending.clear();
    return out;
  }
}
