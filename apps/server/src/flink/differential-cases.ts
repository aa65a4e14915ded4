import { cpSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEMPLATES, type PipelineTemplate } from '@eddy/shared';
import { canonical, clone, generatorAsFile, readDoc, toFileSinks, writeGeneratorFile, type Doc } from './differential-support.js';

/** Events each generator of a template writes once (small: the whole test stays within a few minutes). */
export const TEMPLATE_EVENTS = 3000;

/**
 * The template as a pipeline over files, in `dir`: its sample files written, each generator replaced
 * by a file source over the events that generator wrote once (event time and disorder bound as the
 * generator's), file sources unpaced.
 */
export async function templateOnFiles(t: PipelineTemplate, dir: string): Promise<Doc> {
  mkdirSync(dir, { recursive: true });
  for (const [path, text] of Object.entries(t.files?.() ?? {})) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const doc = clone(t.document()) as unknown as Doc;
  for (const n of doc.nodes) {
    if (n.kind === 'source.generator') {
      const file = `${n.id}-events.jsonl`;
      await writeGeneratorFile(dir, file, n, TEMPLATE_EVENTS);
      generatorAsFile(n, file);
    }
    if (n.kind === 'source.file') n.params = { ...n.params, ratePerSec: 0 };
  }
  return doc;
}

/**
 * Templates whose pipeline as shipped does not translate, the node, why, and the nearest pipeline
 * that does (run instead, so the rest of the template is still checked on both engines).
 */
export const TEMPLATE_VARIANTS: Record<string, { node: string; why: RegExp; variant: (doc: Doc, dir: string) => void }> = {
  // Its campaign table is a file read at start (Flink needs a lookup table) and misses are dead
  // letters (Flink SQL has none). Inlined rows and `drop` give the same sink rows: a miss reaches no sink either way.
  'ad-analytics': {
    node: 'campaign',
    why: /read from 'samples\/campaigns.jsonl' at start/,
    variant: (doc, dir) => {
      const lookup = doc.nodes.find((n) => n.id === 'campaign')!;
      const rows = readFileSync(join(dir, lookup.params.path as string), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as object);
      const { path: _path, ...rest } = lookup.params;
      lookup.params = { ...rest, rows, onMiss: 'drop' };
    },
  },
};

export const templates = () => TEMPLATES;

const goldenRoot = fileURLToPath(new URL('../../../../packages/runtime/src/golden/', import.meta.url));
export const goldenFolders = () => readdirSync(goldenRoot).filter((d) => statSync(join(goldenRoot, d)).isDirectory()).sort();

/** A golden folder's pipeline and input files copied to `dir` (its inputs are relative to it). */
export function goldenInDir(name: string, dir: string): Doc {
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(join(goldenRoot, name))) if (f.endsWith('.jsonl')) cpSync(join(goldenRoot, name, f), join(dir, f));
  return readDoc(join(goldenRoot, name, 'pipeline.json'));
}

/**
 * Eddy's side of a golden case: every sink a file, and every window's late port written to a file
 * (`late/<window>.jsonl`), connected or not, so the test knows which records Eddy's rule calls late.
 */
export function withLateFiles(doc: Doc): { doc: Doc; sinks: Record<string, string>; lateSinks: string[] } {
  const d = clone(doc);
  const lateSinks: string[] = [];
  for (const w of d.nodes.filter((n) => n.kind === 'window')) {
    const connected = d.edges.filter((e) => e.from === w.id && e.fromPort === 'late').map((e) => e.to);
    if (connected.length) lateSinks.push(...connected);
    else {
      d.nodes.push({ id: `${w.id}_late`, kind: 'sink.live', params: {} });
      d.edges.push({ from: w.id, fromPort: 'late', to: `${w.id}_late` });
      lateSinks.push(`${w.id}_late`);
    }
  }
  return { doc: d, sinks: toFileSinks(d, 'eddy'), lateSinks };
}

/**
 * Flink's side: the late ports disconnected (Flink SQL drops late records and has no side output) and
 * the records Eddy called late removed from the input files. Flink's watermark is periodic, so on a
 * small file it may never pass a record Eddy called late, and Flink would count it: with those records
 * gone, every record left is on time on both engines and there is one right answer.
 */
export function withoutLate(doc: Doc, dir: string, late: Record<string, unknown>[]): { doc: Doc; sinks: Record<string, string>; removed: number } {
  const d = clone(doc);
  const lateTargets = new Set(d.edges.filter((e) => e.fromPort === 'late').map((e) => e.to));
  d.edges = d.edges.filter((e) => e.fromPort !== 'late');
  d.nodes = d.nodes.filter((n) => !lateTargets.has(n.id));
  const pending = late.map(canonical);
  let removed = 0;
  for (const src of d.nodes.filter((n) => n.kind === 'source.file')) {
    const file = join(dir, src.params.path as string);
    const kept = readFileSync(file, 'utf8').split('\n').filter((line) => {
      if (!line.trim()) return false;
      const i = pending.indexOf(canonical(JSON.parse(line) as Record<string, unknown>));
      if (i < 0) return true;
      pending.splice(i, 1);
      removed++;
      return false;
    });
    const cleaned = `flink-${src.params.path as string}`;
    writeFileSync(join(dir, cleaned), kept.join('\n') + '\n');
    src.params = { ...src.params, path: cleaned };
  }
  if (pending.length) throw new Error(`late records that are not input records (a window downstream of a window?): ${pending.join(', ')}`);
  return { doc: d, sinks: toFileSinks(d, 'flink'), removed };
}

/** The same pipeline with event time as ISO-8601 text (`2026-01-01T00:00:01.500Z`) instead of epoch ms, in its input files. */
export function withIsoEventTime(doc: Doc, dir: string): Doc {
  const d = clone(doc);
  for (const src of d.nodes.filter((n) => n.kind === 'source.file')) {
    const field = (src.params.eventTime as { field: string }).field;
    const file = join(dir, src.params.path as string);
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => {
      const r = JSON.parse(l) as Record<string, unknown>;
      return JSON.stringify({ ...r, [field]: new Date(Date.UTC(2026, 0, 1) + (r[field] as number)).toISOString() });
    });
    writeFileSync(file, lines.join('\n') + '\n');
    src.params = { ...src.params, fields: (src.params.fields as { name: string; type: string }[]).map((f) => (f.name === field ? { ...f, type: 'string' } : f)) };
  }
  return d;
}

/**
 * Golden folders whose Flink translation differs from Eddy by design (named in docs/flink.md and in
 * the export's notes): Eddy runs the nearest pipeline whose rule Flink's translation does follow.
 */
export const GOLDEN_BY_DESIGN: Record<string, { why: string; eddy: (doc: Doc) => void }> = {
  dedupe: {
    why: 'Flink\'s ROW_NUMBER keeps a key as long as its state lives (its state TTL counts processing time); Eddy forgets a key '
      + 'once the watermark passes `within`. With a `within` longer than the input both keep the first record per key only',
    eddy: (doc) => {
      for (const n of doc.nodes) if (n.kind === 'dedupe') n.params = { ...n.params, within: '365d' };
    },
  },
};
