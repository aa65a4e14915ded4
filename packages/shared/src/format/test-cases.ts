import { z } from 'zod';

/**
 * A pipeline's own regression tests (`eddy record`, `eddy test`): what each source delivered
 * in a recorded run, and what each sink received. Stored in the document's `tests` section,
 * so a pipeline in git carries its tests. Records are plain JSON objects.
 */
const recordList = z.array(z.record(z.string(), z.unknown())).max(20_000);

export const testCaseSchema = z
  .object({
    name: z.string().min(1).max(200),
    /** When it was recorded (ISO-8601), for the reader. */
    recordedAt: z.string().max(40).optional(),
    /** The settings that change results, as recorded (the document's own apply when absent). */
    mode: z.enum(['native', 'microbatch']).optional(),
    parallelism: z.number().int().min(1).max(64).optional(),
    /** Records per source node id, in the order the source delivered them. */
    inputs: z.record(z.string(), recordList),
    /** Records per sink node id: what the sink received (compared without regard to order). */
    expected: z.record(z.string(), recordList),
  })
  .strict();

export type PipelineTestCase = z.infer<typeof testCaseSchema>;

export const testCasesSchema = z.array(testCaseSchema).max(50);
