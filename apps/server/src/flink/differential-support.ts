import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIO_SCHEMAS, SCENARIO_TIME_FIELD, type Scenario } from '@eddy/shared';
import { cli } from '../cli.js';
import { readJsonLines } from './part-files.js';

/*
 * Helpers of the differential test (differential.test.ts): pipelines rewritten to read files and
 * write files, run once in Eddy and once on Flink, and their rows compared.
 */
export interface DocNode { id: string; kind: string; params: Record<string, unknown> }
export interface DocEdge { from: string; to: string; fromPort?: string; toPort?: string }
export interface Doc { name: string; settings?: Record<string, unknown>; nodes: DocNode[]; edges: DocEdge[] }

export const readDoc = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Doc;
export const clone = <T>(x: T): T => structuredClone(x);

export const io = () => {
  const lines: string[] = [];
  return { lines, io: { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) } };
};

/**
 * Numbers to 12 significant digits: a DOUBLE sum adds in arrival order, and Flink's order within a
 * window (or a merged session) is not Eddy's, so the last bits of a sum may differ; 12 digits is far
 * above what such an order changes and far below any real difference.
 */
const normalNumber = (v: number) => (Number.isInteger(v) ? v : Number(v.toPrecision(12)));

/** One row as a canonical text: keys sorted, NULL fields dropped (Flink writes "x":null, Eddy leaves x out). */
export const canonical = (row: Record<string, unknown>) => JSON.stringify(Object.fromEntries(Object.entries(row)
  .filter(([, v]) => v !== null).sort(([a], [b]) => a.localeCompare(b))
  .map(([k, v]) => [k, typeof v === 'number' ? normalNumber(v) : v])));
export const multiset = (rows: Record<string, unknown>[]) => rows.map(canonical).sort();

const SHOWN_SINKS = new Set(['sink.live', 'sink.log']);

/**
 * Every sink whose rows a test can read (live tables, logs) becomes a JSON-lines file sink under
 * `<prefix>/<sink id>`; returns the sinks and their paths (relative to the pipeline's folder).
 */
export function toFileSinks(doc: Doc, prefix: string, suffix = ''): Record<string, string> {
  const paths: Record<string, string> = {};
  for (const n of doc.nodes) {
    if (SHOWN_SINKS.has(n.kind)) {
      n.kind = 'sink.file';
      n.params = { path: '' };
    }
    if (n.kind === 'sink.file') {
      n.params = { ...n.params, path: `${prefix}/${n.id}${suffix}`, format: 'jsonl' };
      paths[n.id] = n.params.path as string;
    }
  }
  return paths;
}

/** Events an Eddy generator node would generate, written once to `<dir>/<file>` by Eddy itself (generator → file). */
export async function writeGeneratorFile(dir: string, file: string, generator: DocNode, limit: number): Promise<void> {
  const p = generator.params as { ratePerSec?: number; timeScale?: number };
  // Unpaced, with the event-time spacing of the paced generator (timeScale·1000/rate ms per event).
  const spacing = (1000 * (p.timeScale ?? 1)) / (p.ratePerSec || 1000);
  const params = { ...generator.params, ratePerSec: 0, timeScale: spacing, limit, startTime: Date.UTC(2026, 0, 1) };
  const doc: Doc = { name: `generate ${file}`, nodes: [{ id: 'gen', kind: 'source.generator', params },
    { id: 'out', kind: 'sink.file', params: { path: file } }], edges: [{ from: 'gen', to: 'out' }] };
  const pipeline = join(dir, `generate-${file}.json`);
  writeFileSync(pipeline, JSON.stringify({ format: 'eddy/pipeline@1', ...doc }));
  const c = io();
  if (await cli(['run', pipeline, '--quiet'], c.io) !== 0) throw new Error(`generating ${file} failed:\n${c.lines.join('\n')}`);
}

/** A generator node turned into a file source over what it generated, its disorder bound its jitter. */
export function generatorAsFile(node: DocNode, file: string): void {
  const scenario = (node.params.scenario ?? 'clickstream') as Scenario;
  const fields = Object.entries(SCENARIO_SCHEMAS[scenario].fields).map(([name, f]) => ({ name, type: f.type }));
  node.kind = 'source.file';
  node.params = { path: file, eventTime: { field: SCENARIO_TIME_FIELD[scenario], maxOutOfOrderness: node.params.outOfOrderness ?? '0ms' }, fields };
}

export interface EngineRun { exit: number; log: string; rows: Record<string, Record<string, unknown>[]> }

/** Writes `doc` as `<dir>/<name>.json` and runs it in Eddy or on Flink; the rows of each file sink. */
export async function runOn(engine: 'eddy' | 'flink', dir: string, name: string, doc: Doc, sinks: Record<string, string>, gatewayUrl: string): Promise<EngineRun> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.${engine}.json`);
  writeFileSync(file, JSON.stringify({ format: 'eddy/pipeline@1', ...doc }));
  const c = io();
  const exit = await cli(['run', file, '--quiet', ...(engine === 'flink' ? ['--on', 'flink', '--gateway', gatewayUrl] : [])], c.io);
  const rows = Object.fromEntries(Object.entries(sinks).map(([id, path]) => [id, readJsonLines(join(dir, path))]));
  return { exit, log: c.lines.join('\n'), rows };
}
