export type { JobHandle, JobOptions, JobOutcome, JobState, NodeState } from './api.js';
export { createJob } from './core/job.js';
export { runPipeline, type RunPipelineOptions, type RunPipelineResult } from './harness/run-pipeline.js';
export type { Batch, Rec } from './core/batch.js';
export type { Operator, OperatorContext, SourceOperator } from './core/operator.js';
export { operatorFactories } from './operators/index.js';
export { CheckpointStore, type LoadedCheckpoint } from './checkpoint/checkpoint-store.js';
export { planRestore } from './core/checkpoint-coordinator.js';
export { MemoryStateBackend, type KeyedStateBackend } from './state/keyed-state.js';
