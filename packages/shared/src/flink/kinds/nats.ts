import type { TranslateContext } from '../context.js';
import { NotTranslatable } from '../sql-text.js';

const WHY = 'Flink has no built-in NATS connector: bridge the subjects to Kafka (and use a Kafka table), or add a NATS connector';

export function sourceNats(_ctx: TranslateContext<'source.nats'>) {
  throw new NotTranslatable(WHY);
}

export function sinkNats(_ctx: TranslateContext<'sink.nats'>) {
  throw new NotTranslatable(WHY);
}
