// Vitest global set-up: every test run gets a real Kafka broker (the same local single-node
// broker as `eddy kafka start`), exported to the tests as KAFKA_BROKERS. A broker given in
// KAFKA_BROKERS is used as it is; otherwise one is started in .test-out/kafka-broker on free
// ports and stopped after the run (unless it was running already, then it is left running).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKafka, stopKafka } from '../local/kafka.js';

const dataDir = fileURLToPath(new URL('../../../../.test-out/kafka-broker', import.meta.url));

export default async function setup(): Promise<(() => Promise<void>) | void> {
  if (process.env.KAFKA_BROKERS) return;
  const broker = await startKafka({ dataDir, port: 0, log: (line) => process.stderr.write(line + '\n') });
  process.env.KAFKA_BROKERS = broker.bootstrap;
  process.stderr.write(`• Kafka ${broker.version} for the tests at ${broker.bootstrap} (${broker.started ? 'started' : 'already running'}; log ${join(broker.dir, 'broker.log')})\n`);
  if (!broker.started) return;
  return async () => {
    await stopKafka(dataDir, 5000);
  };
}
