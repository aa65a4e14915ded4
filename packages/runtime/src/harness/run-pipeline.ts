import { getKind, type DeadLetter, type ExecutionMode, type PipelineMetrics } from '@eddy/shared';
import type { Rec } from '../core/batch.js';
import { createJob } from '../api.js';
import type { JobOptions } from '../api.js';

export interface RunPipelineOptions extends Partial<Omit<JobOptions, 'inputs'>> {
  /** Overrides settings.mode. */
  mode?: ExecutionMode;
  /** Overrides settings.batchIntervalMs. */
  batchIntervalMs?: number;
}

export interface RunPipelineResult {
  /** Records emitted per node, keyed `nodeId` for the main port and `nodeId.port` for others (e.g. `w.late`). */
  outputs: Record<string, Rec[]>;
  /** Records each sink received. */
  sinks: Record<string, Rec[]>;
  deadLetters: DeadLetter[];
  metrics: PipelineMetrics;
  state: string;
  logs: string[];
}

/**
 * Runs a document to completion on given inputs (source node id → records) and collects
 * what every node emitted. The engine test harness: same code path as a deployment.
 */
export async function runPipeline(
  document: unknown,
  inputs: Record<string, Rec[]> = {},
  options: RunPipelineOptions = {},
): Promise<RunPipelineResult> {
  const doc = structuredClone(document) as { settings?: Record<string, unknown> };
  if (options.mode || options.batchIntervalMs) {
    doc.settings = { ...(doc.settings ?? {}), ...(options.mode && { mode: options.mode }),
      ...(options.batchIntervalMs && { batchIntervalMs: options.batchIntervalMs }) };
  }
  const outputs: Record<string, Rec[]> = {};
  const logs: string[] = [];
  const job = createJob(doc, {
    baseDir: options.baseDir ?? process.cwd(),
    ...options,
    inputs,
    log: options.log ?? ((line) => logs.push(line)),
    tap: (nodeId, port, records) => {
      const key = port === 'out' ? nodeId : `${nodeId}.${port}`;
      (outputs[key] ??= []).push(...records);
      options.tap?.(nodeId, port, records);
    },
  });
  // Sinks emit nothing; collect what reaches them from the edges into them.
  const sinks: Record<string, Rec[]> = {};
  const into = new Map<string, string[]>();
  for (const e of job.document.edges) {
    const key = (e.fromPort ?? 'out') === 'out' ? e.from : `${e.from}.${e.fromPort}`;
    into.set(e.to, [...(into.get(e.to) ?? []), key]);
  }
  await job.start();
  const outcome = await job.done;
  if (outcome.state === 'failed') throw outcome.error;
  for (const node of job.document.nodes) {
    if (getKind(node.kind)?.category !== 'sink') continue;
    sinks[node.id] = (into.get(node.id) ?? []).flatMap((k) => outputs[k] ?? []);
  }
  return { outputs, sinks, deadLetters: job.deadLetters(), metrics: job.metrics(), state: outcome.state, logs };
}
