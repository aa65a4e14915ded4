import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { compareSinks, formatDiff, recordTestCase, replayTestCase } from '@eddy/runtime';
import { canonicalJson, parseDuration, PIPELINE_FORMAT, PipelineValidationError, validatePipeline, type PipelineTestCase } from '@eddy/shared';
import { formatIssue, readDocument, UsageError, type CliIO, type Values, type Verb } from './common.js';

/** A document that validates (its problems printed otherwise), with its raw JSON kept for writing back. */
function load(file: string, io: CliIO): { raw: Record<string, unknown>; ok: boolean } | null {
  const raw = readDocument(file, io);
  if (raw === undefined) return null;
  const result = validatePipeline(raw);
  if (!result.ok) for (const e of result.errors) io.err(formatIssue(e));
  return { raw: raw as Record<string, unknown>, ok: result.ok };
}

/** Writes the document back canonical (stable key order, pretty): a recorded case is a small git diff. */
const save = (file: string, raw: Record<string, unknown>) => writeFileSync(file, canonicalJson({ ...raw, format: PIPELINE_FORMAT }) + '\n');

function positiveInt(name: string, v: string | boolean | undefined, fallback: number, max: number): number {
  if (v === undefined) return fallback;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!(n >= 1 && n <= max)) throw new UsageError(`--${name} is a whole number from 1 to ${max}, not '${String(v)}'`);
  return n;
}

export const recordVerb: Verb = {
  summary: 'record what the sources deliver into a test case stored in the pipeline',
  help: `Usage: eddy record <pipeline.json> [--for 30s] [--name <case>] [--max-records N]
  Runs the pipeline's sources for --for (default 10s; bounded sources may end sooner), sinks
  captured (nothing is written), keeps what each source delivered (at most --max-records per
  source, default 1000), replays it to its end for what each sink receives, and stores both as
  the test case --name (default "recorded") in the document's "tests" section (a case of that
  name is replaced). \`eddy test\` replays it.`,
  options: { for: { type: 'string' }, name: { type: 'string' }, 'max-records': { type: 'string' } },
  positionals: { min: 1, max: 1, what: 'a pipeline file' },
  async run([file], values: Values, io) {
    let forMs = 10_000;
    if (typeof values.for === 'string') {
      try { forMs = parseDuration(values.for); } catch { throw new UsageError(`--for is a duration such as 30s or 2m, not '${values.for}'`); }
    }
    const maxRecords = positiveInt('max-records', values['max-records'], 1000, 20_000);
    const name = typeof values.name === 'string' && values.name ? values.name : 'recorded';
    const doc = load(file, io);
    if (!doc) return 2;
    if (!doc.ok) return 1;
    const { testCase, warnings } = await recordTestCase(doc.raw, { name, forMs, maxRecords, baseDir: dirname(resolve(file)) });
    for (const w of warnings) io.err(`eddy: warning: ${w}`);
    const tests = ((doc.raw.tests as PipelineTestCase[] | undefined) ?? []).filter((t) => t.name !== name);
    doc.raw.tests = [...tests, testCase];
    save(file, doc.raw);
    const count = (m: Record<string, unknown[]>) => Object.entries(m).map(([id, rows]) => `${id} ${rows.length}`).join(', ');
    io.out(`recorded '${name}': inputs ${count(testCase.inputs)}; expected ${count(testCase.expected)}`);
    return 0;
  },
};

export const testVerb: Verb = {
  summary: 'replay the test cases stored in a pipeline and compare what its sinks receive',
  help: `Usage: eddy test <pipeline.json> [--case <name>] [--update]
  Replays each stored test case (eddy record) with sinks captured and compares each sink's rows
  with the expected ones, order aside. Prints a diff and exits 1 on a difference; 0 when every
  case passes. --update stores the new output as expected instead.`,
  options: { case: { type: 'string' }, update: { type: 'boolean' } },
  positionals: { min: 1, max: 1, what: 'a pipeline file' },
  async run([file], values: Values, io) {
    const doc = load(file, io);
    if (!doc) return 2;
    if (!doc.ok) return 1;
    const cases = ((doc.raw.tests as PipelineTestCase[] | undefined) ?? []).filter((t) => values.case === undefined || t.name === values.case);
    if (!cases.length) {
      io.err(`eddy: ${file} has no test case${values.case ? ` named '${String(values.case)}'` : ''} (record one with eddy record)`);
      return 1;
    }
    let failed = 0;
    for (const t of cases) {
      let actual;
      try {
        actual = await replayTestCase(doc.raw, t, { baseDir: dirname(resolve(file)) });
      } catch (err) {
        if (!(err instanceof PipelineValidationError)) throw err;
        for (const e of err.errors) io.err(formatIssue(e));
        return 1;
      }
      const diffs = compareSinks(t.expected, actual);
      if (values.update) {
        t.expected = actual;
        io.out(`${diffs.length ? 'updated' : 'unchanged'} ${t.name}`);
      } else if (diffs.length) {
        failed++;
        io.out(formatDiff(t.name, diffs));
      } else {
        const rows = Object.values(actual).reduce((n, r) => n + r.length, 0);
        io.out(`✓ ${t.name} (${rows} row(s) in ${Object.keys(actual).length} sink(s))`);
      }
    }
    if (values.update) { save(file, doc.raw); return 0; }
    io.out(failed ? `${failed} of ${cases.length} case(s) failed` : `${cases.length} case(s) passed`);
    return failed ? 1 : 0;
  },
};
