import { restartPolicy, type RestartStatus, type RestartStrategy } from '@eddy/shared';

/** One pipeline's restarts since the user last deployed it. */
export interface RestartTicket {
  attempt: number;
  maxAttempts: number;
  lastError: string;
  nextAttemptAt: number | null;
  timer: NodeJS.Timeout | null;
}

/**
 * Counts a pipeline's failures against its restart strategy (settings.restart) and holds the
 * timer of the restart that waits. A deploy, stop or delete by the user cancels it.
 */
export class Restarts {
  private readonly tickets = new Map<string, RestartTicket>();

  /**
   * A failure after a run of `ranMs`: the ticket with the next attempt scheduled `delayMs`
   * from now, or `delayMs: null` when the strategy gives up (the pipeline fails for good).
   */
  onFailure(id: string, strategy: RestartStrategy, ranMs: number, error: string, now = Date.now()): { ticket: RestartTicket; delayMs: number | null } {
    const policy = restartPolicy(strategy);
    let ticket = this.tickets.get(id);
    if (ticket?.timer) clearTimeout(ticket.timer);
    if (!ticket || ranMs >= policy.resetAfterMs) ticket = { attempt: 0, maxAttempts: policy.maxAttempts, lastError: error, nextAttemptAt: null, timer: null };
    Object.assign(ticket, { maxAttempts: policy.maxAttempts, lastError: error, nextAttemptAt: null, timer: null });
    this.tickets.set(id, ticket);
    if (ticket.attempt >= policy.maxAttempts) return { ticket, delayMs: null };
    ticket.attempt++;
    const delayMs = policy.delayMs(ticket.attempt);
    ticket.nextAttemptAt = now + delayMs;
    return { ticket, delayMs };
  }

  /** Whether `ticket` is still the pipeline's (no user call cancelled it). */
  isCurrent(id: string, ticket: RestartTicket): boolean {
    return this.tickets.get(id) === ticket;
  }

  status(id: string): RestartStatus | null {
    const t = this.tickets.get(id);
    return t && t.attempt > 0
      ? { attempt: t.attempt, maxAttempts: Number.isFinite(t.maxAttempts) ? t.maxAttempts : null, nextAttemptAt: t.nextAttemptAt, lastError: t.lastError }
      : null;
  }

  cancel(id: string): void {
    const t = this.tickets.get(id);
    if (t?.timer) clearTimeout(t.timer);
    this.tickets.delete(id);
  }

  cancelAll(): void {
    for (const id of [...this.tickets.keys()]) this.cancel(id);
  }
}
