import { z } from 'zod';
import { CATEGORY_TITLES, outputPorts, type AnyKindDefinition, type Category, type EventTimeTrait, type PortSpec } from './define.js';

/** A kind as served by GET /api/catalog: plain JSON, params as JSON Schema. */
export interface CatalogEntry {
  kind: string;
  category: Category;
  /** Keeps keyed state (checkpoints hold it, the state browser shows it). */
  stateful: boolean;
  /** How it treats event time (see EventTimeTrait). */
  eventTime: EventTimeTrait;
  title: string;
  doc: string;
  inputs: PortSpec[];
  /** Output ports for the default params (route derives its ports from params). */
  outputs: PortSpec[];
  paramsSchema: Record<string, unknown>;
  defaults: Record<string, unknown>;
}

export interface CatalogResponse {
  categories: { id: Category; title: string }[];
  kinds: CatalogEntry[];
}

export function catalogEntry(def: AnyKindDefinition): CatalogEntry {
  return {
    kind: def.kind,
    category: def.category,
    stateful: def.stateful,
    eventTime: def.eventTime,
    title: def.title,
    doc: def.doc,
    inputs: [...def.inputs],
    outputs: outputPorts(def, def.defaults),
    // io: 'input' so that params with defaults are optional in the form, as in a document.
    paramsSchema: z.toJSONSchema(def.params, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
    defaults: structuredClone(def.defaults) as Record<string, unknown>,
  };
}

export function buildCatalog(defs: readonly AnyKindDefinition[]): CatalogResponse {
  return {
    categories: (Object.keys(CATEGORY_TITLES) as Category[]).map((id) => ({ id, title: CATEGORY_TITLES[id] })),
    kinds: defs.map(catalogEntry),
  };
}
