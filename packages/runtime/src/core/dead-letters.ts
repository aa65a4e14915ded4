import type { DeadLetter } from '@eddy/shared';

const KEEP = 1000;

/** The job's dead letters: the latest KEEP kept for the dashboard, all of them counted. */
export class DeadLetterList {
  total = 0;
  private readonly items: DeadLetter[] = [];

  constructor(private readonly onAdd: (dl: DeadLetter) => void) {}

  add(nodeId: string, record: unknown, reason: string, at: number): void {
    const dl: DeadLetter = { nodeId, reason, record, at };
    this.total++;
    this.items.push(dl);
    if (this.items.length > KEEP) this.items.splice(0, this.items.length - KEEP);
    this.onAdd(dl);
  }

  list(): DeadLetter[] {
    return [...this.items];
  }
}
