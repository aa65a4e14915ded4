import type { DeadLetter } from '@eddy/shared';

export interface ErrorGroup { pattern: string; example: string; count: number; first: number; last: number }

/** Reasons differing only by numbers (line 7, line 9) are one kind of failure. */
const patternOf = (reason: string) => reason.replace(/\d+(\.\d+)?/g, '#');

/** One node's dead letters grouped by what failed, most frequent first. */
export function groupErrors(deadLetters: DeadLetter[], nodeId: string): ErrorGroup[] {
  const groups = new Map<string, ErrorGroup>();
  for (const d of deadLetters) {
    if (d.nodeId !== nodeId) continue;
    const pattern = patternOf(d.reason);
    const g = groups.get(pattern);
    if (!g) groups.set(pattern, { pattern, example: d.reason, count: 1, first: d.at, last: d.at });
    else {
      g.count++;
      if (d.at < g.first) g.first = d.at;
      if (d.at >= g.last) { g.last = d.at; g.example = d.reason; }
    }
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || b.last - a.last);
}

/** Whether a job error names this node (errors say "node 'id'"). */
export const namesNode = (message: string | null | undefined, nodeId: string): boolean =>
  !!message && (message.includes(`'${nodeId}'`) || message.includes(`"${nodeId}"`));
