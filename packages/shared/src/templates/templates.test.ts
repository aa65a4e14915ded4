import { describe, expect, it } from 'vitest';
import { validatePipeline } from '../validate/validate.js';
import { TEMPLATES } from './templates.js';

describe('templates', () => {
  it.each(TEMPLATES.map((t) => [t.id, t] as const))('%s is a valid pipeline with a live table to watch', (_id, t) => {
    const result = validatePipeline(t.document());
    expect(result.errors).toEqual([]);
    expect(t.document().nodes.some((n) => n.kind === 'sink.live')).toBe(true);
  });

  it('ship their sample files', () => {
    const etl = TEMPLATES.find((t) => t.id === 'streaming-etl')!.files!();
    const lines = etl['samples/orders.jsonl'].trim().split('\n');
    expect(lines).toHaveLength(5000);
    expect(lines.filter((l) => !l.endsWith('}')).length).toBeGreaterThan(0); // dirty lines for the dead-letter view
  });
});
