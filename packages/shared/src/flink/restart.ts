import { parseDuration } from '../format/duration.js';
import { restartSchema, type RestartStrategy } from '../format/restart.js';

const DEFAULT = restartSchema.parse(undefined);
/** Flink's durations take a whole number and a unit. */
const millis = (d: string) => `${parseDuration(d)} ms`;
const set = (key: string, value: string | number) => `SET 'restart-strategy.${key}' = '${value}';`;

/**
 * settings.restart as Flink configuration. Eddy's default is Flink's default since 1.19
 * (exponential delay 1 s ×1.5 up to 1 min, reset after 1 h), so it needs no statement.
 */
export function restartStatements(strategy: RestartStrategy): string[] {
  if (JSON.stringify(strategy) === JSON.stringify(DEFAULT)) return [];
  switch (strategy.strategy) {
    case 'none':
      return [set('type', 'none')];
    case 'fixed-delay':
      return [set('type', 'fixed-delay'), set('fixed-delay.attempts', strategy.attempts), set('fixed-delay.delay', millis(strategy.delay))];
    case 'exponential-backoff':
      return [
        set('type', 'exponential-delay'),
        set('exponential-delay.initial-backoff', millis(strategy.initialDelay)),
        set('exponential-delay.max-backoff', millis(strategy.maxDelay)),
        set('exponential-delay.backoff-multiplier', strategy.multiplier),
        set('exponential-delay.reset-backoff-threshold', millis(strategy.resetAfter)),
        ...(strategy.attempts !== undefined ? [set('exponential-delay.attempts-before-reset-backoff', strategy.attempts)] : []),
      ];
  }
}
