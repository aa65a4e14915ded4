export type { JobHandle, JobOptions, JobOutcome, JobState, NodeState } from './api.js';
export { createJob } from './core/job.js';
export { runPipeline, type RunPipelineOptions, type RunPipelineResult } from './harness/run-pipeline.js';
export type { Batch, Rec } from './core/batch.js';
export type { Operator, OperatorContext, SourceOperator } from './core/operator.js';
export { operatorFactories } from './operators/index.js';
