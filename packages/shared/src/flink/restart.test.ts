import { describe, expect, it } from 'vitest';
import { translateToFlinkSql } from './translate.js';

const withRestart = (restart?: object) => ({
  format: 'eddy/pipeline@1', name: 'Restart', settings: restart ? { restart } : {},
  nodes: [
    { id: 'orders', kind: 'source.file', params: { path: 'orders.jsonl', fields: [{ name: 'user', type: 'string' }, { name: 'amount', type: 'number' }] } },
    { id: 'out', kind: 'sink.file', params: { path: 'out.jsonl' } },
  ],
  edges: [{ from: 'orders', to: 'out' }],
});

const restartLines = (restart?: object) => {
  const result = translateToFlinkSql(withRestart(restart));
  expect(result.ok).toBe(true);
  return result.sql.split('\n').filter((l) => l.startsWith("SET 'restart-strategy."));
};

describe('settings.restart in the Flink SQL export', () => {
  it('the default (Flink\'s own default) needs no statement', () => {
    expect(restartLines()).toEqual([]);
  });

  it('fixed-delay, exponential-backoff and none become Flink\'s restart-strategy options', () => {
    expect(restartLines({ strategy: 'fixed-delay', attempts: 3, delay: '1s' })).toEqual([
      "SET 'restart-strategy.type' = 'fixed-delay';",
      "SET 'restart-strategy.fixed-delay.attempts' = '3';",
      "SET 'restart-strategy.fixed-delay.delay' = '1000 ms';",
    ]);
    expect(restartLines({ strategy: 'exponential-backoff', initialDelay: '500ms', maxDelay: '1m', multiplier: 2, attempts: 4 })).toEqual([
      "SET 'restart-strategy.type' = 'exponential-delay';",
      "SET 'restart-strategy.exponential-delay.initial-backoff' = '500 ms';",
      "SET 'restart-strategy.exponential-delay.max-backoff' = '60000 ms';",
      "SET 'restart-strategy.exponential-delay.backoff-multiplier' = '2';",
      "SET 'restart-strategy.exponential-delay.reset-backoff-threshold' = '3600000 ms';",
      "SET 'restart-strategy.exponential-delay.attempts-before-reset-backoff' = '4';",
    ]);
    expect(restartLines({ strategy: 'none' })).toEqual(["SET 'restart-strategy.type' = 'none';"]);
  });
});

describe('parallelism on Flink', () => {
  const doc = (parallelism?: number | 'auto') => ({ ...withRestart(), settings: parallelism === undefined ? {} : { parallelism } });
  it('carries a number of subtasks over as parallelism.default and says how Flink differs above 1; absent and auto leave Flink its default', () => {
    const four = translateToFlinkSql(doc(4));
    expect(four.sql).toContain("SET 'parallelism.default' = '4';");
    expect(four.notes.some((n) => n.message.includes('watermark order'))).toBe(true);
    const one = translateToFlinkSql(doc(1));
    expect(one.sql).toContain("SET 'parallelism.default' = '1';");
    expect(one.notes.some((n) => n.message.includes('watermark order'))).toBe(false);
    for (const p of [undefined, 'auto'] as const) expect(translateToFlinkSql(doc(p)).sql).not.toContain('parallelism.default');
  });
});
