import type { Kafka } from 'kafkajs';
import { resolveSecret } from '../../core/secrets.js';
import { loadOnce } from '../common/load-once.js';

const kafkajs = loadOnce(() => import('kafkajs'));

/** A Kafka client for a node: few retries, so an unreachable cluster fails a deployment in seconds, not minutes. */
export async function kafkaClient(brokers: string | { secret: string }, nodeId: string): Promise<Kafka> {
  const list = resolveSecret(brokers, 'brokers').split(',');
  const { Kafka, logLevel } = await kafkajs();
  return new Kafka({
    clientId: `eddy-${nodeId}`, brokers: list,
    logLevel: logLevel.NOTHING, connectionTimeout: 3000, retry: { retries: 2, initialRetryTime: 200 },
  });
}
