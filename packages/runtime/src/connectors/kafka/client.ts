import { Kafka, logLevel } from 'kafkajs';
import { resolveSecret } from '../../core/secrets.js';

/** A Kafka client for a node: few retries, so an unreachable cluster fails a deployment in seconds, not minutes. */
export function kafkaClient(brokers: string | { secret: string }, nodeId: string): Kafka {
  return new Kafka({
    clientId: `eddy-${nodeId}`, brokers: resolveSecret(brokers, 'brokers').split(','),
    logLevel: logLevel.NOTHING, connectionTimeout: 3000, retry: { retries: 2, initialRetryTime: 200 },
  });
}
