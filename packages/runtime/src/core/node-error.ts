/**
 * An operator's failure as the job reports it: the message names the node (`sink.postgres
 * 'out': Connection terminated`), unless the operator already did. The original is the cause.
 */
export function nodeFailure(err: unknown, kind: string, nodeId: string): Error {
  const e = err instanceof Error ? err : new Error(String(err));
  if (e.message.includes(`'${nodeId}'`)) return e;
  return new Error(`${kind} '${nodeId}': ${e.message}`, { cause: e });
}
