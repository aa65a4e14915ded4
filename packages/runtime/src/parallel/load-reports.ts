import type { SubtaskLoad } from './protocol.js';

/** Host messages a subtask may have waiting before the sources wait (backpressure); messages of any kind: 4× as many. */
export const MAX_IN_FLIGHT = 8;

/**
 * A subtask's load as the host needs it for backpressure: the host messages it has handled and
 * the messages (host or peer) it has waiting. The load rides on the next message to the host; it
 * goes alone only when the host may be holding its sources back on this subtask's account (what
 * the host last heard puts it near a limit), so the host never waits for news that does not come.
 * Sent alone after every message, load reports were about 60 % of a subtask's messages.
 */
export class LoadReports {
  private hostIn = 0;
  private hostDone = 0;
  private backlog = 0;
  private reported: SubtaskLoad = { hostDone: 0, backlog: 0 };
  private pending: SubtaskLoad | null = null;
  private queued = false;

  constructor(private readonly sendAlone: (load: SubtaskLoad) => void) {}

  received(fromHost: boolean): void {
    this.backlog++;
    if (fromHost) this.hostIn++;
  }

  handled(fromHost: boolean): void {
    this.backlog--;
    if (fromHost) this.hostDone++;
    this.pending = { hostDone: this.hostDone, backlog: this.backlog };
    if (this.queued || !this.mayHoldHost()) return;
    this.queued = true;
    // After this turn's events went (the load may have ridden on them).
    queueMicrotask(() => {
      this.queued = false;
      const load = this.take();
      if (load) this.sendAlone(load);
    });
  }

  /** The news to send with a message to the host (null: none since the last). */
  take(): SubtaskLoad | null {
    const load = this.pending;
    if (load) {
      this.pending = null;
      this.reported = load;
    }
    return load;
  }

  /**
   * The host waits while it counts more than MAX_IN_FLIGHT of its messages not handled, or more
   * than 4 × MAX_IN_FLIGHT waiting. Reporting once half of either is reached keeps its count of
   * what is not handled within MAX_IN_FLIGHT / 2 of the truth once the messages it sent arrived.
   */
  private mayHoldHost(): boolean {
    const half = MAX_IN_FLIGHT / 2;
    return this.hostIn - this.reported.hostDone > half || this.reported.backlog > 2 * MAX_IN_FLIGHT || this.backlog > 2 * MAX_IN_FLIGHT;
  }
}
