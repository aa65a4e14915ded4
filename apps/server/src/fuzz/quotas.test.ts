// The fuzz files' quotas (each file asserts it ran its own) add up to issue 13's minimum per run.
import { describe, expect, it } from 'vitest';
import { FUZZ_QUOTAS, MIN_FUZZ_CASES } from '../test-utils/fuzz-kit.js';

describe('fuzz quotas', () => {
  it(`add up to at least ${MIN_FUZZ_CASES} cases per run`, () => {
    const total = Object.values(FUZZ_QUOTAS).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(MIN_FUZZ_CASES);
  });
});
