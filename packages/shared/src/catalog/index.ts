import type { z } from 'zod';
import { sourceGenerator } from './kinds/source-generator.js';
import { sourceFile } from './kinds/source-file.js';
import { filter } from './kinds/filter.js';
import { map } from './kinds/map.js';
import { windowKind } from './kinds/window.js';
import { sinkFile, sinkLive, sinkLog } from './kinds/sinks.js';
import { union } from './kinds/union.js';
import { route } from './kinds/route.js';
import { dedupe } from './kinds/dedupe.js';
import { lookup } from './kinds/lookup.js';
import { score } from './kinds/score.js';
import { join } from './kinds/join.js';
import { sinkPostgres } from './kinds/sink-postgres.js';
import { sinkWebhook } from './kinds/sink-webhook.js';
import { sinkNats, sourceNats } from './kinds/nats.js';
import { sourceHttp } from './kinds/source-http.js';
import { sinkRedis, sourceRedis } from './kinds/redis.js';
import { sinkMqtt, sourceMqtt } from './kinds/mqtt.js';
import { sinkKafka, sourceKafka } from './kinds/kafka.js';
import type { AnyKindDefinition } from './define.js';

/**
 * Every node kind, one definition each. Adding a kind: its file in kinds/ (with its traits:
 * category, eventTime, stateful and, when it restores anything, stateFingerprint) and a line
 * here; its factory in packages/runtime/src/registry.ts (under `sources` when its category is
 * 'source', else `operators`; the code in runtime/src/operators/ or runtime/src/connectors/<name>/);
 * its Flink translation, or the reason there is none, in packages/shared/src/flink/kinds/index.ts;
 * its tests; and docs/nodes.md regenerated (`npm run docs`). Compilation fails until the
 * runtime and Flink registries have it; the palette and inspector read it from the catalog.
 */
export const kinds = [
  sourceGenerator, sourceFile, sourceHttp, sourceNats, sourceRedis, sourceMqtt, sourceKafka, filter, map, union, route, dedupe, windowKind, join, lookup, score, sinkLive, sinkLog,
  sinkFile, sinkPostgres, sinkWebhook, sinkNats, sinkRedis, sinkMqtt, sinkKafka,
] as const;

export type KindDef = (typeof kinds)[number];
export type NodeKind = KindDef['kind'];
/** The kinds whose category is `source` (they produce records and have no input). */
export type SourceKind = Extract<KindDef, { category: 'source' }>['kind'];
/** The params type of a kind, as parsed (defaults applied). */
export type ParamsOf<K extends NodeKind> = z.output<Extract<KindDef, { kind: K }>['params']>;

export const NODE_KINDS = kinds.map((k) => k.kind) as NodeKind[];

const byKind = new Map<string, AnyKindDefinition>(kinds.map((k) => [k.kind, k as AnyKindDefinition]));

export function getKind(kind: string): AnyKindDefinition | undefined {
  return byKind.get(kind);
}

export function isNodeKind(kind: string): kind is NodeKind {
  return byKind.has(kind);
}

export * from './define.js';
export * from './scenarios.js';
export * from './serialize.js';
export * from './fingerprint.js';
export { renderNodeReference, type JsonSchema } from './reference.js';
export { joinedSchema } from './kinds/join.js';
export { challengerField, isProbabilityModel, modelSchema, type ModelParams } from './kinds/score.js';
export { AGGREGATE_FNS, PRE_AGGREGATE_FNS, keyFieldName, type AggregateFn, type WindowAggregate } from './kinds/window.js';
