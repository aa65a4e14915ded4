import type { TranslateContext } from '../context.js';
import { NotTranslatable } from '../sql-text.js';

const WHY = 'Flink has no built-in NATS connector: bridge the subjects to Kafka (and use a Kafka table), or add a NATS connector';

export function sourceNats(_ctx: TranslateContext<'source.nats'>) {
  throw new NotTranslatable(WHY);
}

export function sinkNats(_ctx: TranslateContext<'sink.nats'>) {
  throw new NotTranslatable(WHY);
}

const REDIS = 'Flink has no built-in Redis connector: bridge the stream to Kafka (and use a Kafka table), or add a Redis connector';

export function sourceRedis(_ctx: TranslateContext<'source.redis'>) {
  throw new NotTranslatable(REDIS);
}

export function sinkRedis(_ctx: TranslateContext<'sink.redis'>) {
  throw new NotTranslatable(REDIS);
}

const MQTT = 'Flink has no built-in MQTT connector: bridge the topics to Kafka (and use a Kafka table), or add an MQTT connector';

export function sourceMqtt(_ctx: TranslateContext<'source.mqtt'>) {
  throw new NotTranslatable(MQTT);
}

export function sinkMqtt(_ctx: TranslateContext<'sink.mqtt'>) {
  throw new NotTranslatable(MQTT);
}
