/** A job failure that names the node it came from (`sink.file 'out': …`), so the user knows where to look. */
export class NodeError extends Error {
  constructor(readonly nodeId: string, readonly kind: string, message: string, options?: { cause?: unknown }) {
    super(`${kind} '${nodeId}': ${message}`, options);
    this.name = 'NodeError';
  }
}

/** `err` as a NodeError of this node (an error that already names a node is kept). */
export function nodeError(nodeId: string, kind: string, err: unknown, context?: string): NodeError {
  if (err instanceof NodeError) return err;
  let message = err instanceof Error ? err.message : String(err);
  const named = `${kind} '${nodeId}': `;
  if (message.startsWith(named)) message = message.slice(named.length); // connectors that name themselves already
  return new NodeError(nodeId, kind, context ? `${context}: ${message}` : message, { cause: err });
}

/** An operator's failure as the job reports it: the message names the node; the original is the cause. */
export const nodeFailure = (err: unknown, kind: string, nodeId: string): NodeError => nodeError(nodeId, kind, err);
