import { getKind, hasEventTime, parsePipeline, type PipelineDocument, type PipelineTestCase } from '@eddy/shared';
import type { Rec } from '../core/batch.js';
import { createJob } from '../api.js';
import { runPipeline } from './run-pipeline.js';

/** A row as text with its keys sorted at every level: equal rows, equal text. */
export function rowKey(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Rec).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));
}

/** The document with every sink swapped for a capture (a live table of the same id): a test writes no file, topic or table. */
export function withCapturedSinks(doc: PipelineDocument): PipelineDocument {
  return {
    ...doc, tests: undefined,
    nodes: doc.nodes.map((n) => (getKind(n.kind)?.category === 'sink' ? { ...n, kind: 'sink.live', params: { maxRows: 1 } } : n)),
  };
}

export interface CaseOptions { baseDir: string; secretsFile?: string; fileRoots?: string[] }

/** What each sink receives when the case's inputs are replayed to their end (final watermark: every window fires). */
export async function replayTestCase(document: unknown, t: PipelineTestCase, o: CaseOptions): Promise<Record<string, Rec[]>> {
  const doc = parsePipeline(document);
  const captured = withCapturedSinks(doc);
  captured.settings = { ...captured.settings, ...(t.mode && { mode: t.mode }), ...(t.parallelism && { parallelism: t.parallelism }) };
  const inputs: Record<string, Rec[]> = {};
  for (const n of doc.nodes) if (getKind(n.kind)?.category === 'source') inputs[n.id] = t.inputs[n.id] ?? [];
  const result = await runPipeline(captured, inputs, { ...o, batchIntervalMs: captured.settings.batchIntervalMs });
  const out: Record<string, Rec[]> = {};
  for (const n of doc.nodes) if (getKind(n.kind)?.category === 'sink') out[n.id] = result.sinks[n.id] ?? [];
  return out;
}

export interface RecordOptions extends CaseOptions {
  name: string;
  /** How long the sources run (bounded sources may end sooner). */
  forMs: number;
  /** At most this many records per source: the recording stops when a source reaches it. */
  maxRecords: number;
  now?: () => number;
}

/**
 * Runs the pipeline's real sources (sinks captured, nothing written) for `forMs` or until they
 * end, keeps what each source delivered, and replays it to compute what each sink receives:
 * the case's expected output is the replay's, so `eddy test` compares like with like.
 */
export async function recordTestCase(document: unknown, o: RecordOptions): Promise<{ testCase: PipelineTestCase; warnings: string[] }> {
  const doc = parsePipeline(document);
  const sources = doc.nodes.filter((n) => getKind(n.kind)?.category === 'source');
  const inputs: Record<string, Rec[]> = Object.fromEntries(sources.map((n) => [n.id, []]));
  let full = false;
  const job = createJob(withCapturedSinks(doc), {
    baseDir: o.baseDir, secretsFile: o.secretsFile, fileRoots: o.fileRoots, log: () => undefined, tapNodes: sources.map((n) => n.id),
    tap: (nodeId, port, records) => {
      const list = inputs[nodeId];
      if (!list || port !== 'out' || full) return;
      for (const r of records) if (list.length < o.maxRecords) list.push(structuredClone(r));
      if (list.length >= o.maxRecords) { full = true; void job.stop(); }
    },
  });
  await job.start();
  const timer = setTimeout(() => void job.stop(), o.forMs);
  const outcome = await job.done;
  clearTimeout(timer);
  if (outcome.state === 'failed') throw outcome.error ?? new Error('The recording failed');
  const warnings = sources.filter((n) => !hasEventTime(getKind(n.kind)!, n.params))
    .map((n) => `${n.id} stamps ingestion time: a replay gives its records new times, so windows over them may differ from run to run (give it an eventTime field)`);
  const testCase: PipelineTestCase = {
    name: o.name, recordedAt: new Date((o.now ?? Date.now)()).toISOString(), mode: doc.settings.mode,
    ...(typeof doc.settings.parallelism === 'number' && { parallelism: doc.settings.parallelism }),
    inputs, expected: {},
  };
  testCase.expected = await replayTestCase(doc, testCase, o);
  return { testCase, warnings };
}

/** One sink's difference: rows expected but not received, rows received but not expected (multisets: order aside). */
export interface SinkDiff { sink: string; missing: Rec[]; unexpected: Rec[] }

export function compareSinks(expected: Record<string, Rec[]>, actual: Record<string, Rec[]>): SinkDiff[] {
  const diffs: SinkDiff[] = [];
  for (const sink of [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort()) {
    const left = new Map<string, { row: Rec; n: number }>();
    for (const row of expected[sink] ?? []) {
      const k = rowKey(row);
      const e = left.get(k);
      if (e) e.n++;
      else left.set(k, { row, n: 1 });
    }
    const unexpected: Rec[] = [];
    for (const row of actual[sink] ?? []) {
      const e = left.get(rowKey(row));
      if (e && e.n > 0) e.n--;
      else unexpected.push(row);
    }
    const missing = [...left.values()].flatMap((e) => Array.from({ length: e.n }, () => e.row));
    if (missing.length || unexpected.length) diffs.push({ sink, missing, unexpected });
  }
  return diffs;
}

/** A readable diff: per sink, `-` rows missing and `+` rows not expected (at most `limit` of each). */
export function formatDiff(caseName: string, diffs: SinkDiff[], limit = 10): string {
  const lines = [`✗ ${caseName}`];
  for (const d of diffs) {
    lines.push(`  sink ${d.sink}: ${d.missing.length} row(s) missing, ${d.unexpected.length} not expected`);
    for (const r of d.missing.slice(0, limit)) lines.push(`    - ${rowKey(r)}`);
    if (d.missing.length > limit) lines.push(`    … ${d.missing.length - limit} more missing`);
    for (const r of d.unexpected.slice(0, limit)) lines.push(`    + ${rowKey(r)}`);
    if (d.unexpected.length > limit) lines.push(`    … ${d.unexpected.length - limit} more not expected`);
  }
  return lines.join('\n');
}
