import { z } from 'zod';
import { isDuration, parseDuration } from './duration.js';

/** Restart delays are at most a day: a longer one is a typo, not a strategy. */
const MAX_DELAY_MS = 86_400_000;

const delay = (example: string) => z.string()
  .refine((v) => isDuration(v) && parseDuration(v) <= MAX_DELAY_MS, `A duration from 0ms to 1d, such as ${example}`);

const fixedDelay = z.object({
  strategy: z.literal('fixed-delay'),
  attempts: z.number().int().min(1).max(1_000_000).default(3).describe('Restarts before the pipeline fails for good'),
  delay: delay('1s').default('10s').describe('Wait between a failure and the restart'),
}).strict();

const exponentialBackoff = z.object({
  strategy: z.literal('exponential-backoff'),
  initialDelay: delay('500ms').default('1s').describe('Wait before the first restart'),
  maxDelay: delay('1m').default('1m').describe('The wait grows up to this'),
  multiplier: z.number().min(1).max(10).default(1.5).describe('Each consecutive failure multiplies the wait by this'),
  attempts: z.number().int().min(1).max(1_000_000).optional().describe('Restarts before the pipeline fails for good (default: no limit)'),
  resetAfter: delay('1h').default('1h').describe('A run this long without failing resets the wait and the attempt count'),
}).strict().refine((r) => parseDuration(r.maxDelay) >= parseDuration(r.initialDelay), { message: 'maxDelay must not be shorter than initialDelay', path: ['maxDelay'] });

const none = z.object({ strategy: z.literal('none') }).strict();

/**
 * `settings.restart`: what the server does when a deployed job fails. It restarts the job from
 * its latest checkpoint after a delay, as Flink's restart strategies; the default is Flink's
 * default since 1.19 (exponential delay: 1s, ×1.5, up to 1m, reset after 1h without failure).
 */
export const restartSchema = z.discriminatedUnion('strategy', [fixedDelay, exponentialBackoff, none])
  .default(() => ({ strategy: 'exponential-backoff' as const, initialDelay: '1s', maxDelay: '1m', multiplier: 1.5, resetAfter: '1h' }))
  .describe('After a failure: restart from the latest checkpoint (fixed-delay, exponential-backoff) or fail (none)');

export type RestartStrategy = z.infer<typeof restartSchema>;

export interface RestartPolicy {
  /** Restarts allowed before failing for good (Infinity: no limit). */
  maxAttempts: number;
  /** Wait before restart number `attempt` (1-based). */
  delayMs(attempt: number): number;
  /** A run this long without failing starts the count again (Infinity: never). */
  resetAfterMs: number;
}

export function restartPolicy(strategy: RestartStrategy): RestartPolicy {
  switch (strategy.strategy) {
    case 'none':
      return { maxAttempts: 0, delayMs: () => 0, resetAfterMs: Infinity };
    case 'fixed-delay': {
      const ms = parseDuration(strategy.delay);
      return { maxAttempts: strategy.attempts, delayMs: () => ms, resetAfterMs: Infinity };
    }
    case 'exponential-backoff': {
      const initial = parseDuration(strategy.initialDelay);
      const max = parseDuration(strategy.maxDelay);
      return {
        maxAttempts: strategy.attempts ?? Infinity,
        delayMs: (attempt) => Math.min(max, Math.round(initial * strategy.multiplier ** Math.max(0, attempt - 1))),
        resetAfterMs: parseDuration(strategy.resetAfter),
      };
    }
  }
}
