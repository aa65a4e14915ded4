import type { SamplePayload } from '@eddy/shared';

const MAX_RECORDS = 20;
const INTERVAL_MS = 250;

/**
 * Edge previews: while someone watches an edge (a node's output port), the records it emits
 * are sampled — the newest 20 at most every 250 ms — and handed to `emit`. Unwatched edges
 * cost one Map lookup per batch.
 */
export class SampleTap {
  private readonly watchers = new Map<string, number>();
  private readonly pending = new Map<string, Record<string, unknown>[]>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly pipelineId: string, private readonly emit: (payload: SamplePayload) => void) {}

  watch(edge: string, on: boolean): void {
    const n = (this.watchers.get(edge) ?? 0) + (on ? 1 : -1);
    if (n > 0) this.watchers.set(edge, n);
    else this.watchers.delete(edge);
  }

  /** The edges someone watches: only their records leave the job's thread. */
  watched(): string[] {
    return [...this.watchers.keys()];
  }

  /** The job's tap: called for every batch a node emits (on a job thread, with its samples). */
  readonly tap = (nodeId: string, port: string, records: Record<string, unknown>[]): void => {
    if (this.watchers.size === 0) return;
    const edge = `${nodeId}:${port}`;
    if (!this.watchers.has(edge)) return;
    const list = this.pending.get(edge) ?? [];
    for (let i = Math.max(0, records.length - MAX_RECORDS); i < records.length; i++) list.push(records[i]);
    this.pending.set(edge, list.length > MAX_RECORDS ? list.slice(-MAX_RECORDS) : list);
    this.timer ??= setTimeout(() => this.flush(), INTERVAL_MS);
  };

  private flush(): void {
    this.timer = null;
    for (const [edge, records] of this.pending) this.emit({ pipelineId: this.pipelineId, edge, records });
    this.pending.clear();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
