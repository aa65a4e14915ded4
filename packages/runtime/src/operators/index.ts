import type { NodeKind, ParamsOf, PipelineNode } from '@eddy/shared';
import type { Operator, OperatorContext } from '../core/operator.js';
import { FilterOperator } from './filter.js';
import { MapOperator } from './map.js';
import { createWindowOperator } from './window/index.js';
import { GeneratorSource } from '../sources/generator/generator-source.js';
import { FileSource } from '../sources/file-source.js';
import { NatsSource } from '../sources/nats-source.js';
import { HttpSource } from '../sources/http-source.js';
import { RedisStreamSource } from '../sources/redis-source.js';
import { MqttSource } from '../sources/mqtt-source.js';
import { KafkaSource } from '../sources/kafka-source.js';
import { UnionOperator } from './union.js';
import { RouteOperator } from './route.js';
import { DedupeOperator } from './dedupe.js';
import { LookupOperator } from './lookup/lookup-operator.js';
import { ScoreOperator } from './score/score-operator.js';
import { IntervalJoinOperator } from './join/interval-join-operator.js';
import { WindowJoinOperator } from './join/window-join-operator.js';
import { LiveSinkOperator } from '../sinks/live-sink.js';
import { LogSinkOperator } from '../sinks/log-sink.js';
import { FileSinkOperator } from '../sinks/file-sink.js';
import { PostgresSinkOperator } from '../sinks/postgres-sink.js';
import { WebhookSinkOperator } from '../sinks/webhook-sink.js';
import { NatsSinkOperator } from '../sinks/nats-sink.js';
import { RedisSinkOperator } from '../sinks/redis-sink.js';
import { MqttSinkOperator } from '../sinks/mqtt-sink.js';
import { KafkaSinkOperator } from '../sinks/kafka-sink.js';

type Node<K extends NodeKind> = PipelineNode & { kind: K; params: ParamsOf<K> };
export type OperatorFactory<K extends NodeKind = NodeKind> = (node: Node<K>, ctx: OperatorContext) => Operator;

/** One factory per node kind; a kind missing here fails to compile. */
export const operatorFactories: { [K in NodeKind]: OperatorFactory<K> } = {
  'source.generator': (node, ctx) => new GeneratorSource(node.params, ctx.now),
  'source.file': (node, ctx) => new FileSource(node.params, ctx.baseDir, ctx.fileRoots),
  'source.nats': (node) => new NatsSource(node.params, node.id),
  'source.http': (node) => new HttpSource(node.params, node.id),
  'source.redis': (node) => new RedisStreamSource(node.params, node.id),
  'source.mqtt': (node) => new MqttSource(node.params, node.id),
  'source.kafka': (node) => new KafkaSource(node.params, node.id),
  filter: (node, ctx) => new FilterOperator(node.params, ctx),
  map: (node, ctx) => new MapOperator(node.params, ctx),
  union: (_node, ctx) => new UnionOperator(ctx),
  route: (node, ctx) => new RouteOperator(node.params, ctx),
  dedupe: (node, ctx) => new DedupeOperator(node.params, ctx),
  window: (node, ctx) => createWindowOperator(node.params, ctx),
  join: (node, ctx) => (node.params.within ? new IntervalJoinOperator(node.params, ctx) : new WindowJoinOperator(node.params, ctx)),
  lookup: (node, ctx) => new LookupOperator(node.params, ctx),
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
};
