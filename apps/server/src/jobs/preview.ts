import { join } from 'node:path';
import { createJob } from '@eddy/runtime';
import { getKind, type DeadLetter, type EdgeCapture, type PipelineDocument, type PreviewResult } from '@eddy/shared';
import { Busy, Invalid } from '../domain-errors.js';

export interface PreviewOptions { seconds: number; limit: number }
/** Reads `{ seconds, limit }` from a preview request body, within bounds. */
export function previewOptions(body: Record<string, unknown>): PreviewOptions {
  const num = (v: unknown, name: string, min: number, max: number, dflt: number) => {
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw new Invalid(`'${name}' must be a number from ${min} to ${max}`, 'invalid_preview');
    return v;
  };
  return { seconds: num(body.seconds, 'seconds', 0.5, 10, 3), limit: Math.floor(num(body.limit, 'limit', 1, 200, 20)) };
}

let running = false;

/**
 * Runs a validated document for a few seconds with every sink swapped for a capture (a live
 * table of the same id: no file, topic, table or URL is touched), on its own job without
 * checkpoints, and reports what each edge carried and each sink received.
 */
export async function runPreview(document: PipelineDocument, dataDir: string, o: PreviewOptions): Promise<PreviewResult> {
  if (running) throw new Busy('A preview is already running; try again in a few seconds', o.seconds);
  running = true;
  try {
    const sinkKinds: Record<string, string> = {};
    const captured: PipelineDocument = {
      ...document,
      nodes: document.nodes.map((n) => {
        if (getKind(n.kind)?.category !== 'sink') return n;
        sinkKinds[n.id] = n.kind;
        return { ...n, kind: 'sink.live', params: { maxRows: 1 } };
      }),
    };
    const emitted = new Map<string, { count: number; records: Record<string, unknown>[] }>();
    const deadLetters: DeadLetter[] = [];
    const job = createJob(captured, {
      baseDir: dataDir,
      secretsFile: join(dataDir, 'secrets.json'),
      pipelineId: 'preview',
      log: () => {},
      onDeadLetter: (d) => { if (deadLetters.length < o.limit) deadLetters.push(d); },
      tap: (nodeId, port, records) => {
        const e = emitted.get(`${nodeId}:${port}`) ?? { count: 0, records: [] };
        e.count += records.length;
        if (e.records.length < o.limit) e.records.push(...structuredClone(records.slice(0, o.limit - e.records.length)));
        emitted.set(`${nodeId}:${port}`, e);
      },
    });
    const started = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await job.start();
    const outcome = await Promise.race([
      job.done,
      new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), o.seconds * 1000); }),
    ]);
    clearTimeout(timer);
    if (!outcome) await job.stop();
    const final = outcome ?? await job.done;
    const ranMs = Date.now() - started;

    const edges = captured.edges.map((e): EdgeCapture => {
      const fromPort = e.fromPort ?? 'out';
      const got = emitted.get(`${e.from}:${fromPort}`) ?? { count: 0, records: [] };
      return { from: e.from, fromPort, to: e.to, toPort: e.toPort ?? 'in', count: got.count, records: got.records };
    });
    const sinks: PreviewResult['sinks'] = {};
    for (const [id, kind] of Object.entries(sinkKinds)) {
      const into = edges.filter((e) => e.to === id);
      sinks[id] = { kind, count: into.reduce((n, e) => n + e.count, 0), records: into.flatMap((e) => e.records).slice(0, o.limit) };
    }
    return { state: final.state === 'stopped' ? 'sampled' : final.state, error: final.error?.message ?? null, ranMs, edges, sinks, deadLetters };
  } finally {
    running = false;
  }
}
