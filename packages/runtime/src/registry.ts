import type { NodeFactories } from './core/node-factories.js';
import { FilterOperator } from './operators/filter.js';
import { MapOperator } from './operators/map.js';
import { createWindowOperator } from './operators/window/index.js';
import { UnionOperator } from './operators/union.js';
import { RouteOperator } from './operators/route.js';
import { DedupeOperator } from './operators/dedupe.js';
import { LookupOperator } from './operators/lookup/lookup-operator.js';
import { ScoreOperator } from './operators/score/score-operator.js';
import { IntervalJoinOperator } from './operators/join/interval-join-operator.js';
import { WindowJoinOperator } from './operators/join/window-join-operator.js';
import type { LookupStores } from './connectors/common/lookup-store.js';
import { GeneratorSource } from './connectors/generator/source.js';
import { FileSource } from './connectors/file/source.js';
import { FileSinkOperator } from './connectors/file/sink.js';
import { loadMemoryTable } from './connectors/file/lookup.js';
import { HttpSource } from './connectors/http/source.js';
import { NatsSource } from './connectors/nats/source.js';
import { NatsSinkOperator } from './connectors/nats/sink.js';
import { RedisStreamSource } from './connectors/redis/source.js';
import { RedisSinkOperator } from './connectors/redis/sink.js';
import { RedisLookupStore } from './connectors/redis/lookup.js';
import { MqttSource } from './connectors/mqtt/source.js';
import { MqttSinkOperator } from './connectors/mqtt/sink.js';
import { KafkaSource } from './connectors/kafka/source.js';
import { KafkaSinkOperator } from './connectors/kafka/sink.js';
import { PostgresSinkOperator } from './connectors/postgres/sink.js';
import { PostgresLookupStore } from './connectors/postgres/lookup.js';
import { WebhookSinkOperator } from './connectors/webhook/sink.js';
import { LiveSinkOperator } from './connectors/live/sink.js';
import { LogSinkOperator } from './connectors/log/sink.js';

/** The lookup operator's tables, one per `store`: the operator knows no connector. */
const lookupStores: LookupStores = {
  memory: loadMemoryTable,
  remote: {
    redis: (params, nodeId) => new RedisLookupStore(params, nodeId),
    postgres: (params, nodeId) => new PostgresLookupStore(params, nodeId),
  },
};

/**
 * One factory `(node, ctx)` per node kind — the only place that knows both operators and
 * connectors. A kind missing here (or a source kind given an operator) fails to compile.
 */
export const registry: NodeFactories = {
  sources: {
    'source.generator': (node, ctx) => new GeneratorSource(node.params, ctx.now),
    'source.file': (node, ctx) => new FileSource(node.params, ctx.baseDir, ctx.fileRoots),
    'source.nats': (node) => new NatsSource(node.params, node.id),
    'source.http': (node) => new HttpSource(node.params, node.id),
    'source.redis': (node) => new RedisStreamSource(node.params, node.id),
    'source.mqtt': (node, ctx) => new MqttSource(node.params, ctx),
    'source.kafka': (node) => new KafkaSource(node.params, node.id),
  },
  operators: {
    filter: (node, ctx) => new FilterOperator(node.params, ctx),
    map: (node, ctx) => new MapOperator(node.params, ctx),
    union: (_node, ctx) => new UnionOperator(ctx),
    route: (node, ctx) => new RouteOperator(node.params, ctx),
    dedupe: (node, ctx) => new DedupeOperator(node.params, ctx),
    window: (node, ctx) => createWindowOperator(node.params, ctx),
    join: (node, ctx) => (node.params.within ? new IntervalJoinOperator(node.params, ctx) : new WindowJoinOperator(node.params, ctx)),
    lookup: (node, ctx) => new LookupOperator(node.params, ctx, lookupStores),
    score: (node, ctx) => new ScoreOperator(node.params, ctx),
    'sink.live': (node, ctx) => new LiveSinkOperator(node.params, ctx),
    'sink.log': (node, ctx) => new LogSinkOperator(node.params, ctx),
    'sink.file': (node, ctx) => new FileSinkOperator(node.params, ctx),
    'sink.postgres': (node, ctx) => new PostgresSinkOperator(node.params, ctx),
    'sink.webhook': (node, ctx) => new WebhookSinkOperator(node.params, ctx),
    'sink.nats': (node, ctx) => new NatsSinkOperator(node.params, ctx),
    'sink.redis': (node, ctx) => new RedisSinkOperator(node.params, ctx),
    'sink.mqtt': (node, ctx) => new MqttSinkOperator(node.params, ctx),
    'sink.kafka': (node, ctx) => new KafkaSinkOperator(node.params, ctx),
  },
};
