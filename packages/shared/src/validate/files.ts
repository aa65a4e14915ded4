import type { PipelineDocument } from '../format/document.js';
import { getKind } from '../catalog/index.js';
import { formatPath } from './issues.js';

/** A file a document names: which node, where in the document, and whether it is read or written. */
export interface DocumentFile {
  nodeId: string;
  kind: string;
  /** JSON path in the document, e.g. `nodes[3].params.path`. */
  path: string;
  file: string;
  access: 'read' | 'write';
}

/** Every file a (validated) document names, from its kinds' `files` (the runtime checks each against the allowed folders). */
export function documentFiles(doc: PipelineDocument): DocumentFile[] {
  return doc.nodes.flatMap((node, i) => (getKind(node.kind)?.files?.(node.params) ?? []).map((ref) => ({
    nodeId: node.id, kind: node.kind, path: formatPath(['nodes', i, 'params', ...ref.path]), file: ref.file, access: ref.access,
  })));
}
