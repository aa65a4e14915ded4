import { diffDocuments, getKind, migrateDocument, pipelineSchema, type DocumentDiff, type PipelineDocument } from '@eddy/shared';

/**
 * The document as the server stores it: migrated, the envelope's and each node's params'
 * defaults filled in by the shared schemas. A part that does not parse is kept as it is, so an
 * invalid canvas still compares.
 */
export function withDefaults(doc: PipelineDocument): PipelineDocument {
  const migrated = migrateDocument(doc as unknown as Record<string, unknown>);
  const envelope = pipelineSchema.safeParse(migrated.ok ? migrated.document : doc);
  const full = envelope.success ? envelope.data : doc;
  return {
    ...full,
    nodes: full.nodes.map((n) => {
      const params = getKind(n.kind)?.params.safeParse(n.params ?? {});
      return params?.success ? { ...n, params: params.data as Record<string, unknown> } : n;
    }),
  };
}

/** What differs between the deployed document and the canvas once both have their defaults: only real edits count. */
export const deployDiff = (deployed: PipelineDocument, canvas: PipelineDocument): DocumentDiff =>
  diffDocuments(withDefaults(deployed), withDefaults(canvas));
