import { parseVerbArgs, UsageError, type CliIO, type Verb } from './cli/common.js';
import { exportVerb, validateVerb } from './cli/documents.js';
import { flinkVerb } from './cli/flink.js';
import { modelVerb } from './cli/model.js';
import { runVerb } from './cli/run.js';
import { recordVerb, testVerb } from './cli/testing.js';
import { kafkaCli, KAFKA_USAGE } from './local/kafka-cli.js';

export type { CliIO } from './cli/common.js';

const serveVerb: Verb = {
  summary: 'start the server and designer (HOST, PORT, EDDY_DATA, EDDY_TOKEN)',
  help: `Usage: eddy serve [--token <secret>|generate]
  Starts the server and the designer on HOST:PORT (default 127.0.0.1:8090), data in EDDY_DATA (default ./data).
  --token <secret>   every API call, /metrics and the live socket need it (EDDY_TOKEN); required beyond loopback
  --token generate   makes one and prints the designer's URL with it once (see docs/security.md)`,
  options: { token: { type: 'string' } },
  positionals: { min: 0, max: 0, what: 'no arguments' },
  async run(_positionals, values, io) {
    const { main } = await import('./main.js');
    try {
      await main(typeof values.token === 'string' ? ['--token', values.token] : []);
    } catch (err) {
      io.err(`Eddy could not start: ${(err as Error).message}`);
      return 1;
    }
    return -1; // keeps running
  },
};

const kafkaVerb: Verb = {
  summary: 'a local single-node Kafka broker (start|stop|status)',
  help: KAFKA_USAGE,
  options: { port: { type: 'string' }, 'controller-port': { type: 'string' }, data: { type: 'string' } },
  positionals: { min: 1, max: 1, what: 'start, stop or status' },
  run(positionals, values, io) {
    const flags = Object.entries(values).filter(([, v]) => typeof v === 'string').flatMap(([k, v]) => [`--${k}`, v as string]);
    return kafkaCli([...positionals, ...flags], io);
  },
};

/**
 * The verbs of `eddy`, in the order `eddy --help` lists them. A new verb is one line here
 * .
 */
const VERBS: Record<string, Verb> = {
  run: runVerb,
  validate: validateVerb,
  export: exportVerb,
  record: recordVerb,
  test: testVerb,
  model: modelVerb,
  serve: serveVerb,
  flink: flinkVerb,
  kafka: kafkaVerb,
};

const usage = () => `Usage: eddy <command> [options]   (eddy <command> --help for its options)
${Object.entries(VERBS).map(([name, v]) => `  ${name.padEnd(10)} ${v.summary}`).join('\n')}`;

const processIO: CliIO = { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') };

/** Runs the command line; resolves to the exit code (-1: keeps running, as `serve`). */
export async function cli(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name === undefined ? 2 : 0;
  }
  const verb = Object.hasOwn(VERBS, name) ? VERBS[name] : undefined;
  try {
    if (!verb) throw new UsageError(`Unknown command '${name}'`);
    const { positionals, values, help } = parseVerbArgs(name, verb, rest);
    if (help) {
      io.out(verb.help);
      return 0;
    }
    return await verb.run(positionals, values, io);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`eddy: ${err.message}\n${verb ? verb.help : usage()}`);
    return 2;
  }
}
