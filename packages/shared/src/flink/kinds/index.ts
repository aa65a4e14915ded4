import type { NodeKind } from '../../catalog/index.js';
import type { TranslateContext } from '../context.js';
import { sourceFile, sourceGenerator, sourceHttp, sourceKafka } from './sources.js';
import { dedupe, filter, map, route, union } from './transforms.js';
import { window } from './windows.js';
import { join, lookup } from './joins.js';
import { score } from './score.js';
import { sinkFile, sinkKafka, sinkLive, sinkLog, sinkPostgres, sinkWebhook } from './sinks.js';
import { sinkMqtt, sinkNats, sinkRedis, sourceMqtt, sourceNats, sourceRedis } from './brokers.js';

/** One translation per kind; it adds statements to the context or throws NotTranslatable with the reason. */
export type KindTranslation<K extends NodeKind> = (ctx: TranslateContext<K>) => void;

export const translations = {
  'source.generator': sourceGenerator,
  'source.file': sourceFile,
  'source.nats': sourceNats,
  'source.http': sourceHttp,
  'source.redis': sourceRedis,
  'source.mqtt': sourceMqtt,
  'source.kafka': sourceKafka,
  filter,
  map,
  union,
  route,
  dedupe,
  window,
  join,
  lookup,
  score,
  'sink.live': sinkLive,
  'sink.log': sinkLog,
  'sink.file': sinkFile,
  'sink.postgres': sinkPostgres,
  'sink.webhook': sinkWebhook,
  'sink.nats': sinkNats,
  'sink.redis': sinkRedis,
  'sink.mqtt': sinkMqtt,
  'sink.kafka': sinkKafka,
} satisfies { [K in NodeKind]: KindTranslation<K> };
