import { getKind, outputPorts, type CatalogEntry, type PortSpec } from '@eddy/shared';

/**
 * Output ports of a node from its kind's definition (a route has one per route plus
 * `default`). Params being edited may be incomplete: then the catalog's ports stand.
 */
export function outputPortsOf(entry: CatalogEntry, params: Record<string, unknown> | undefined): PortSpec[] {
  const def = getKind(entry.kind);
  if (!def || !params) return entry.outputs;
  try {
    return outputPorts(def, params).filter((p) => typeof p.name === 'string' && p.name !== '');
  } catch {
    return entry.outputs;
  }
}
