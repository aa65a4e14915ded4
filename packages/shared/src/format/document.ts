import { z } from 'zod';
import { testCasesSchema } from './test-cases.js';
import { durationProblem } from './duration.js';
import { restartSchema } from './restart.js';
import { isReservedName, reservedNameMessage } from './reserved-names.js';

/** The current document format. Older versions are migrated on load (see migrate.ts). */
export const PIPELINE_FORMAT = 'eddy/pipeline@2' as const;

export const nodeIdSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, 'Node ids start with a letter or _ and use letters, digits, _ or - (at most 64)')
  .refine((id) => !isReservedName(id), { error: (i) => reservedNameMessage(String(i.input)) });

export const settingsSchema = z
  .object({
    mode: z.enum(['native', 'microbatch']).default('native')
      .describe('native: each record flows as it arrives; microbatch: sources collect for batchIntervalMs'),
    batchIntervalMs: z.number().int().min(1).max(60_000).default(200),
    guarantee: z.enum(['at-most-once', 'at-least-once', 'exactly-once']).default('at-least-once'),
    checkpointIntervalMs: z.number().int().min(100).max(86_400_000).default(5000)
      .describe('How often a checkpoint records source offsets and operator state'),
    stateTtl: z.string().superRefine((v, ctx) => {
      const problem = durationProblem(v, 1);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }).optional()
      .describe('Drop a key of keyed state that was not read or written for this long (processing time)'),
    retainedCheckpoints: z.number().int().min(1).max(100).default(3)
      .describe('Completed checkpoints kept on disk (savepoints are kept until deleted with the pipeline)'),
    restart: restartSchema,
    parallelism: z.union([z.number().int().min(1).max(64), z.literal('auto')]).optional()
      .describe('Subtasks that run the pipeline on worker threads: 1 = one thread (the default), "auto" = the cores but one (the server keeps one)'),
  })
  .strict();

export const nodeSchema = z
  .object({
    id: nodeIdSchema,
    kind: z.string().min(1),
    name: z.string().max(200).optional(),
    params: z.record(z.string(), z.unknown()).default({}),
    ui: z.object({ x: z.number(), y: z.number() }).partial().optional(),
  })
  .strict();

export const edgeSchema = z
  .object({
    from: z.string().min(1),
    fromPort: z.string().min(1).optional(),
    to: z.string().min(1),
    toPort: z.string().min(1).optional(),
  })
  .strict();

/** The envelope of a document; node params are validated per kind by the catalog. */
export const pipelineSchema = z
  .object({
    format: z.literal(PIPELINE_FORMAT),
    name: z.string().min(1).max(200),
    description: z.string().max(5000).optional(),
    settings: settingsSchema.default(() => settingsSchema.parse({})),
    nodes: z.array(nodeSchema).max(500),
    edges: z.array(edgeSchema).max(2000).default([]),
    /** Regression tests the pipeline carries (format/test-cases.ts). */
    tests: testCasesSchema.optional(),
  })
  .strict();

export type PipelineSettings = z.infer<typeof settingsSchema>;
export type PipelineNode = z.infer<typeof nodeSchema>;
export type PipelineEdge = z.infer<typeof edgeSchema>;
export type PipelineDocument = z.infer<typeof pipelineSchema>;
export type DeliveryGuarantee = PipelineSettings['guarantee'];
export type ExecutionMode = PipelineSettings['mode'];

export const DEFAULT_OUT_PORT = 'out';
export const DEFAULT_IN_PORT = 'in';

export const edgeFromPort = (e: PipelineEdge): string => e.fromPort ?? DEFAULT_OUT_PORT;
export const edgeToPort = (e: PipelineEdge): string => e.toPort ?? DEFAULT_IN_PORT;
