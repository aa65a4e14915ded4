import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPipeline } from '../harness/run-pipeline.js';

/**
 * Golden folders: pipeline.json + input.jsonl + expected.json (rows per node output, hand
 * computed). Each runs in native and microbatch mode, through the real file source, and
 * both must give exactly the expected rows and late records.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const cases = readdirSync(here).filter((d) => statSync(join(here, d)).isDirectory());

const sortRows = (rows: Record<string, unknown>[]) =>
  [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe.each(cases)('golden %s', (name) => {
  const dir = join(here, name);
  const doc = JSON.parse(readFileSync(join(dir, 'pipeline.json'), 'utf8'));
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, Record<string, unknown>[]>;

  for (const mode of ['native', 'microbatch'] as const) {
    it(`gives the expected rows in ${mode} mode`, async () => {
      const result = await runPipeline(doc, {}, { mode, baseDir: dir, batchIntervalMs: 50 });
      expect(result.state).toBe('finished');
      for (const [output, rows] of Object.entries(expected)) {
        expect(sortRows(result.outputs[output] ?? []), output).toEqual(sortRows(rows));
      }
    });
  }

  it('gives identical output in both modes, record by record', async () => {
    const input = readFileSync(join(dir, 'input.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const native = await runPipeline(doc, { src: input }, { mode: 'native', baseDir: dir });
    const micro = await runPipeline(doc, { src: input }, { mode: 'microbatch', baseDir: dir, batchIntervalMs: 20 });
    expect(micro.outputs).toEqual(native.outputs);
  });
});
