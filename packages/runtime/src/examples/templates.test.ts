import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TEMPLATES, type PipelineDocument } from '@eddy/shared';
import { runPipeline } from '../harness/run-pipeline.js';

/**
 * The shipped templates, bounded and unpaced (the same event times: a generator's spacing is
 * timeScale·1000/ratePerSec ms, kept with ratePerSec 0), give the same rows at parallelism 2
 * and 4 as at 1.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'eddy-templates-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const EVENTS = 3000;

function bounded(doc: PipelineDocument): PipelineDocument {
  const copy = structuredClone(doc);
  for (const node of copy.nodes) {
    const p = node.params as Record<string, number | string | undefined>;
    if (node.kind === 'source.generator') {
      const rate = (p.ratePerSec as number) || 1000;
      Object.assign(p, { timeScale: ((p.timeScale as number | undefined) ?? 1) * (1000 / rate), ratePerSec: 0, limit: EVENTS, startTime: 1_767_225_600_000 });
    }
    if (node.kind === 'source.file') p.ratePerSec = 0;
  }
  return copy;
}

const canonical = (outputs: Record<string, Record<string, unknown>[]>) =>
  Object.fromEntries(Object.entries(outputs).map(([k, rows]) => [k, rows.map((r) => JSON.stringify(r)).sort()]));

describe('templates with data parallelism', { timeout: 60_000 }, () => {
  it.each(TEMPLATES.map((t) => [t.id, t] as const))('%s gives the same rows per node at parallelism 2 and 4 as at 1', async (_id, t) => {
    for (const [path, text] of Object.entries(t.files?.() ?? {})) {
      mkdirSync(dirname(join(dataDir, path)), { recursive: true });
      writeFileSync(join(dataDir, path), text);
    }
    const run = async (parallelism: number, mode: 'native' | 'microbatch') => {
      const doc = bounded(t.document());
      doc.settings = { ...doc.settings, parallelism };
      const result = await runPipeline(doc, {}, { baseDir: dataDir, mode, batchIntervalMs: 10 });
      expect(result.state).toBe('finished');
      return { outputs: canonical(result.outputs), deadLetters: result.deadLetters.length };
    };
    const single = await run(1, 'native');
    expect(Object.values(single.outputs).some((rows) => rows.length > 0)).toBe(true);
    for (const [parallelism, mode] of [[2, 'native'], [4, 'microbatch']] as const) {
      const parallel = await run(parallelism, mode);
      expect(Object.keys(parallel.outputs).sort(), `at ${parallelism}`).toEqual(Object.keys(single.outputs).sort());
      for (const [key, rows] of Object.entries(single.outputs)) expect(parallel.outputs[key], `${key} at ${parallelism} (${mode})`).toEqual(rows);
      expect(parallel.deadLetters, `dead letters at ${parallelism}`).toBe(single.deadLetters);
    }
  });
});
