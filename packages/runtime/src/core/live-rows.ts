import type { Rec } from './batch.js';

const PUBLISH_EVERY_MS = 200;

/**
 * Latest rows of each sink.live node. Publishing to the embedder is throttled: a busy
 * sink notifies at most five times a second, with its newest rows.
 */
export class LiveRows {
  private readonly latest = new Map<string, { rows: Rec[]; total: number }>();
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly notify: (nodeId: string, rows: Rec[], total: number) => void) {}

  publish(nodeId: string, rows: Rec[], total: number): void {
    this.latest.set(nodeId, { rows, total });
    this.dirty.add(nodeId);
    if (!this.timer) {
      this.timer = setTimeout(() => this.flushAll(), PUBLISH_EVERY_MS);
      this.timer.unref();
    }
  }

  flushAll(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const id of this.dirty) {
      const l = this.latest.get(id)!;
      this.notify(id, l.rows, l.total);
    }
    this.dirty.clear();
  }

  rows(nodeId: string): Rec[] {
    return this.latest.get(nodeId)?.rows ?? [];
  }
}
