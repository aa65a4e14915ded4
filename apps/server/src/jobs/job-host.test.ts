import { describe, expect, it } from 'vitest';
import { jobMemoryMb } from './job-host.js';

describe('EDDY_JOB_MEMORY_MB', () => {
  it('defaults to 1024 MB, takes whole megabytes, refuses what is not a budget', () => {
    expect(jobMemoryMb({})).toBe(1024);
    expect(jobMemoryMb({ EDDY_JOB_MEMORY_MB: '64' })).toBe(64);
    expect(() => jobMemoryMb({ EDDY_JOB_MEMORY_MB: 'lots' })).toThrow(/EDDY_JOB_MEMORY_MB must be a whole number/);
    expect(() => jobMemoryMb({ EDDY_JOB_MEMORY_MB: '8' })).toThrow(/at least 16/);
    expect(() => jobMemoryMb({ EDDY_JOB_MEMORY_MB: '1.5' })).toThrow(/whole number/);
  });
});
