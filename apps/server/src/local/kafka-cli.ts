// `eddy kafka start|stop|status`: the local single-node broker (see kafka.ts).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { kafkaStatus, LocalToolError, startKafka, stopKafka } from './kafka.js';

export const KAFKA_USAGE = `Usage:
  eddy kafka start [--port 9092] [--controller-port 9093]   start a single-node Kafka broker (KRaft) on 127.0.0.1
  eddy kafka stop                                            stop it
  eddy kafka status                                          say whether it runs, and where

The broker keeps its data in <EDDY_DATA>/kafka (EDDY_DATA defaults to ./data); --data overrides.
The first start resolves Kafka's jars from Maven Central with Maven (needs Java 17+ and mvn) into
~/.cache/eddy/kafka-<version>/ and re-uses them afterwards. --port 0 picks a free port.`;

export interface KafkaCliIO {
  out(line: string): void;
  err(line: string): void;
}

function portOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new LocalToolError(`--${name} is a port number (0–65535), not '${value}'`);
  return n;
}

/** Runs `eddy kafka …`; resolves to the exit code (2 for a usage error). */
export async function kafkaCli(argv: string[], io: KafkaCliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true, strict: true,
      options: {
        help: { type: 'boolean', short: 'h' }, port: { type: 'string' }, 'controller-port': { type: 'string' }, data: { type: 'string' },
      },
    });
  } catch (err) {
    io.err(`eddy kafka: ${(err as Error).message}\n${KAFKA_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [action, ...rest] = positionals;
  if (values.help) {
    io.out(KAFKA_USAGE);
    return 0;
  }
  if (!action || rest.length || !['start', 'stop', 'status'].includes(action)) {
    io.err(`eddy kafka: ${action ? `unknown action '${[action, ...rest].join(' ')}'` : 'start, stop or status?'}\n${KAFKA_USAGE}`);
    return 2;
  }
  const dataDir = resolve(values.data ?? process.env.EDDY_DATA ?? './data');
  try {
    if (action === 'start') {
      const s = await startKafka({
        dataDir, port: portOption(values.port, 'port'), controllerPort: portOption(values['controller-port'], 'controller-port'), log: io.err,
      });
      io.out(s.started ? `Kafka ${s.version} is running at ${s.bootstrap} (pid ${s.pid}; log ${s.logFile})` : `Kafka is already running at ${s.bootstrap} (pid ${s.pid})`);
      io.out(`Use it as brokers: "${s.bootstrap}", or KAFKA_BROKERS=${s.bootstrap}`);
      return 0;
    }
    if (action === 'stop') {
      io.out((await stopKafka(dataDir)) ? 'Kafka stopped' : 'Kafka was not running');
      return 0;
    }
    const s = kafkaStatus(dataDir);
    io.out(s.running ? `Kafka ${s.version} is running at ${s.bootstrap} (pid ${s.pid}; data ${s.dir})` : `Kafka is not running (data ${s.dir})`);
    return s.running ? 0 : 3;
  } catch (err) {
    if (!(err instanceof LocalToolError)) throw err;
    io.err(`eddy kafka: ${err.message}`);
    return 1;
  }
}
