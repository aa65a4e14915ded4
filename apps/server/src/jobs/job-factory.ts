import { join } from 'node:path';
import type { EventEmitter } from 'node:events';
import { describeExecution, type CheckpointStore, type LoadedCheckpoint } from '@eddy/runtime';
import { PipelineValidationError, type RowsPayload } from '@eddy/shared';
import { InvalidPipeline } from '../domain-errors.js';
import { SampleTap } from './samples.js';
import { hostJob, type HostedJob } from './job-host.js';
import type { JobEvents } from './job-manager.js';
import type { StoredPipeline } from '../store/pipeline-store.js';

export interface BuiltJob {
  /** On its own worker thread (jobs/job-host.ts). */
  job: HostedJob;
  samples: SampleTap;
  /** The latest rows of each sink.live node. */
  rows: Map<string, RowsPayload>;
}

export interface BuildOptions {
  baseDir: string;
  stateDir: string | null;
  restore: LoadedCheckpoint | null;
  resumeFromAcks: boolean;
  checkpoints: CheckpointStore;
}

/** A job of the stored document, wired to the manager's events. Throws InvalidPipeline. */
export function buildJob(p: StoredPipeline, events: EventEmitter<JobEvents>, o: BuildOptions): BuiltJob {
  const rows = new Map<string, RowsPayload>();
  const samples = new SampleTap(p.id, (payload) => events.emit('sample', payload));
  try {
    const job = hostJob(p.document, {
      tap: samples.tap,
      baseDir: o.baseDir,
      secretsFile: join(o.baseDir, 'secrets.json'),
      pipelineId: p.id,
      checkpoints: o.checkpoints,
      restore: o.restore,
      resumeFromAcks: o.resumeFromAcks,
      stateDir: o.stateDir ?? undefined,
      onRows: (nodeId, latest, total) => {
        const payload = { pipelineId: p.id, nodeId, rows: latest, total };
        rows.set(nodeId, payload);
        events.emit('rows', payload);
      },
      onDeadLetter: (deadLetter) => events.emit('deadLetter', { pipelineId: p.id, deadLetter }),
      log: (line) => console.log(`[${p.id}] ${line}`),
    });
    // How it runs, once, in the server's log (subtasks, what runs once, which edges go by key).
    if ((job.document.settings.parallelism ?? 1) !== 1) for (const line of describeExecution(job.document)) console.log(`[${p.id}] ${line}`);
    return { job, samples, rows };
  } catch (err) {
    samples.close();
    throw err instanceof PipelineValidationError ? new InvalidPipeline(err.errors) : err;
  }
}
