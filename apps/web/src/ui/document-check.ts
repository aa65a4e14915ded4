import { issueMessage, migrateDocument, pipelineSchema, type PipelineDocument } from '@eddy/shared';

export type EnvelopeCheck = { ok: true; document: PipelineDocument } | { ok: false; why: string };

/**
 * Whether parsed JSON is a pipeline the canvas can show: a known format, a valid envelope, and
 * unique node ids (two nodes with one id would stack on the canvas as one). Reasons are in
 * plain words (the validator's messages), never zod's own text.
 */
export function checkEnvelope(parsed: unknown): EnvelopeCheck {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, why: 'not a JSON object' };
  const migrated = migrateDocument(parsed as Record<string, unknown>);
  if (!migrated.ok) return { ok: false, why: migrated.error.message };
  const envelope = pipelineSchema.safeParse(migrated.document);
  if (!envelope.success) {
    return { ok: false, why: envelope.error.issues.slice(0, 2).map((i) => `${i.path.join('.') || 'document'}: ${issueMessage(i)}`).join('; ') };
  }
  const seen = new Map<string, number>();
  for (const [i, n] of envelope.data.nodes.entries()) {
    const first = seen.get(n.id);
    if (first !== undefined) return { ok: false, why: `Node id '${n.id}' is used twice (nodes[${first}] and nodes[${i}]); ids must be unique` };
    seen.set(n.id, i);
  }
  return { ok: true, document: envelope.data };
}
