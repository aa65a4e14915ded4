import type { PipelineDocument } from '@eddy/shared';

/**
 * For each node with several input edges (in the order the job connects them, i.e. the
 * document's edge order): the sources upstream of the node but not of that edge. A record
 * carries its own source's watermark; at a node fed by other sources too, the watermark in
 * force for it is also bounded by theirs. Sources upstream of its own edge are already in
 * the record's watermark — so a diamond fed by one source caps nothing, and its records are
 * judged as if they flowed one at a time (docs/time.md).
 */
export function watermarkCaps(doc: PipelineDocument, order: string[]): Map<string, string[][]> {
  const into = new Map<string, string[]>(doc.nodes.map((n) => [n.id, []]));
  for (const e of doc.edges) into.get(e.to)!.push(e.from);
  const sources = new Map<string, Set<string>>();
  for (const id of order) {
    const from = into.get(id)!;
    const set = new Set<string>(from.length ? [] : [id]);
    for (const f of from) for (const s of sources.get(f)!) set.add(s);
    sources.set(id, set);
  }
  const caps = new Map<string, string[][]>();
  for (const id of order) {
    const from = into.get(id)!;
    if (from.length < 2) continue;
    const all = sources.get(id)!;
    caps.set(id, from.map((f) => [...all].filter((s) => !sources.get(f)!.has(s))));
  }
  return caps;
}
