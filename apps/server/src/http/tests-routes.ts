import { Router } from 'express';
import { join } from 'node:path';
import { compareSinks, recordTestCase, replayTestCase } from '@eddy/runtime';
import type { PipelineTestCase, TestRecordResult, TestRunResult } from '@eddy/shared';
import { Busy, Invalid } from '../domain-errors.js';
import type { PipelineStore } from '../store/pipeline-store.js';
import type { JobManager } from '../jobs/job-manager.js';
import { requireJsonBody } from './pipelines-routes.js';

const ROWS_SHOWN = 20;
let busy = false;

/** One test run or recording at a time: each runs a job on the API's thread for a few seconds at most. */
async function exclusive<T>(work: () => Promise<T>): Promise<T> {
  if (busy) throw new Busy('A test run or recording is in progress; try again in a few seconds', 3);
  busy = true;
  try {
    return await work();
  } finally {
    busy = false;
  }
}

function numberIn(body: Record<string, unknown>, name: string, min: number, max: number, fallback: number): number {
  const v = body[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw new Invalid(`'${name}' must be a number from ${min} to ${max}`, 'invalid_test_request');
  return v;
}

const objectBody = (body: unknown): Record<string, unknown> => {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new Invalid('Send a JSON object', 'invalid_test_request');
  return body as Record<string, unknown>;
};

/** A pipeline's stored test cases (docs/testing.md): run them, or record a new one from its sources. */
export function testRoutes(store: PipelineStore, jobs: JobManager, dataDir: string): Router {
  const r = Router();
  const options = { baseDir: dataDir, secretsFile: join(dataDir, 'secrets.json') };

  r.post('/pipelines/:id/tests/run', async (req, res) => {
    const body = objectBody(requireJsonBody(req));
    const p = store.require(req.params.id);
    const only = typeof body.case === 'string' ? body.case : undefined;
    const cases = (p.document.tests ?? []).filter((t) => only === undefined || t.name === only);
    if (!cases.length) throw new Invalid(only ? `No test case named '${only}'` : 'This pipeline has no test case: record one first', 'no_test_case');
    const result: TestRunResult = await exclusive(async () => ({
      cases: await Promise.all(cases.map(async (t) => {
        const actual = await replayTestCase(p.document, t, options);
        const diffs = compareSinks(t.expected, actual).map((d) => ({
          sink: d.sink, missingCount: d.missing.length, unexpectedCount: d.unexpected.length,
          missing: d.missing.slice(0, ROWS_SHOWN), unexpected: d.unexpected.slice(0, ROWS_SHOWN),
        }));
        return { name: t.name, passed: diffs.length === 0, rows: Object.values(actual).reduce((n, rows) => n + rows.length, 0), diffs };
      })),
    }));
    res.json(result);
  });

  r.post('/pipelines/:id/tests/record', async (req, res) => {
    const body = objectBody(requireJsonBody(req));
    const p = store.require(req.params.id);
    const name = body.name === undefined ? 'recorded' : body.name;
    if (typeof name !== 'string' || !name.trim() || name.length > 200) throw new Invalid("'name' must be a text of 1 to 200 characters", 'invalid_test_request');
    const seconds = numberIn(body, 'seconds', 0.5, 60, 10);
    const maxRecords = Math.floor(numberIn(body, 'maxRecords', 1, 20_000, 1000));
    const { testCase, warnings } = await exclusive(() => recordTestCase(p.document, { ...options, name, forMs: seconds * 1000, maxRecords }));
    const tests: PipelineTestCase[] = [...(p.document.tests ?? []).filter((t) => t.name !== name), testCase];
    const updated = await jobs.replace(p.id, { ...p.document, tests }, p.revision);
    const count = (m: Record<string, unknown[]>) => Object.fromEntries(Object.entries(m).map(([id, rows]) => [id, rows.length]));
    const result: TestRecordResult = { name, inputs: count(testCase.inputs), expected: count(testCase.expected), warnings, revision: updated.revision };
    res.json(result);
  });
  return r;
}
