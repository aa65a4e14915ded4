// A single-node Kafka broker (KRaft: broker and controller in one JVM) on 127.0.0.1, started
// detached by `eddy kafka start` and by the tests. Everything it keeps lives in <data>/kafka/.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { ensureKafkaJars, kafkaVersion, LocalToolError, requireJava } from './kafka-jars.js';

export { LocalToolError } from './kafka-jars.js';

export interface LocalKafkaOptions {
  /** The data folder (EDDY_DATA); the broker keeps its files in <dataDir>/kafka. */
  dataDir: string;
  /** Client port; 0 picks a free one. Default 9092. */
  port?: number;
  /** Controller port; 0 picks a free one. Default port + 1. */
  controllerPort?: number;
  /** Progress lines. */
  log?: (line: string) => void;
  /** How long to wait for the broker to answer. */
  timeoutMs?: number;
}

export interface LocalKafkaState {
  running: boolean;
  pid?: number;
  bootstrap?: string;
  version?: string;
  dir: string;
  logFile: string;
}

interface StateFile { pid: number; bootstrap: string; version: string }

const paths = (dataDir: string) => {
  const dir = join(dataDir, 'kafka');
  return { dir, state: join(dir, 'broker.json'), log: join(dir, 'broker.log'), props: join(dir, 'server.properties'),
    log4j: join(dir, 'log4j2.properties'), logDirs: join(dir, 'data'), formatted: join(dir, 'data', 'meta.properties') };
};

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readState(file: string): StateFile | null {
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as StateFile;
    return typeof s.pid === 'number' && typeof s.bootstrap === 'string' ? s : null;
  } catch {
    return null;
  }
}

export function kafkaStatus(dataDir: string): LocalKafkaState {
  const p = paths(dataDir);
  const s = readState(p.state);
  if (s && alive(s.pid)) return { running: true, pid: s.pid, bootstrap: s.bootstrap, version: s.version, dir: p.dir, logFile: p.log };
  return { running: false, dir: p.dir, logFile: p.log };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

async function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer().listen(port, '127.0.0.1', () => s.close(() => resolve(false)));
    s.once('error', () => resolve(true));
  });
}

/** Sends ApiVersions v0 and resolves true when the broker answers without an error. */
export function brokerAnswers(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const clientId = Buffer.from('eddy');
    const req = Buffer.alloc(4 + 2 + 2 + 4 + 2 + clientId.length);
    req.writeInt32BE(req.length - 4, 0);
    req.writeInt16BE(18, 4); // ApiVersions
    req.writeInt16BE(0, 6);
    req.writeInt32BE(7, 8);
    req.writeInt16BE(clientId.length, 12);
    clientId.copy(req, 14);
    let got = Buffer.alloc(0);
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => { socket.destroy(); clearTimeout(timer); resolve(ok); };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => socket.write(req));
    socket.on('data', (d: Buffer) => {
      got = Buffer.concat([got, d]);
      if (got.length >= 10) done(got.readInt32BE(4) === 7 && got.readInt16BE(8) === 0);
    });
    socket.once('error', () => done(false));
  });
}

function serverProperties(p: ReturnType<typeof paths>, port: number, controllerPort: number): string {
  return `# Written by eddy kafka start: one KRaft node that is broker and controller, on 127.0.0.1 only.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${controllerPort}
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${port}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${p.logDirs}
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
`;
}

const LOG4J = `# Warnings and the start line only: the broker's INFO log is large.
rootLogger.level=WARN
rootLogger.appenderRef.out.ref=out
appender.out.type=Console
appender.out.name=out
appender.out.layout.type=PatternLayout
appender.out.layout.pattern=[%d] %p %m (%c)%n
logger.started.name=kafka.server.KafkaRaftServer
logger.started.level=INFO
`;

/** Starts the broker (formatting its storage the first time) unless it runs already; resolves once it answers. */
export async function startKafka(opts: LocalKafkaOptions): Promise<LocalKafkaState & { started: boolean }> {
  const log = opts.log ?? (() => undefined);
  const p = paths(opts.dataDir);
  const current = kafkaStatus(opts.dataDir);
  if (current.running) return { ...current, started: false };
  requireJava();
  const lib = await ensureKafkaJars(log);
  const port = opts.port === 0 ? await freePort() : opts.port ?? 9092;
  const controllerPort = opts.controllerPort === 0 || opts.port === 0 ? await freePort() : opts.controllerPort ?? port + 1;
  for (const q of [port, controllerPort]) {
    if (await portTaken(q)) throw new LocalToolError(`port ${q} on 127.0.0.1 is taken (another Kafka?): choose others with --port`);
  }
  mkdirSync(p.dir, { recursive: true });
  writeFileSync(p.props, serverProperties(p, port, controllerPort));
  writeFileSync(p.log4j, LOG4J);
  const java = (mainClass: string, args: string[]) => ['-Xms256m', '-Xmx1g', '-XX:+UseG1GC', '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${p.log4j}`, `-Dkafka.logs.dir=${p.dir}`, '-cp', join(lib, '*'), mainClass, ...args];
  if (!existsSync(p.formatted)) {
    log('• Formatting the broker storage (KRaft, new cluster id)…');
    const clusterId = randomBytes(16).toString('base64url');
    const out = await new Promise<{ code: number; text: string }>((resolve, reject) => {
      const child = spawn('java', java('kafka.tools.StorageTool', ['format', '-t', clusterId, '-c', p.props]), { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (d: Buffer) => { text += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { text += d.toString(); });
      child.once('error', reject);
      child.once('exit', (code) => resolve({ code: code ?? 1, text }));
    });
    if (out.code !== 0) throw new LocalToolError(`formatting the Kafka storage failed:\n${out.text.trim().slice(-2000)}`);
  }
  const logFd = openSync(p.log, 'a');
  const child = spawn('java', java('kafka.Kafka', [p.props]), { detached: true, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  child.unref();
  const pid = child.pid!;
  const bootstrap = `127.0.0.1:${port}`;
  const version = kafkaVersion();
  writeFileSync(p.state, JSON.stringify({ pid, bootstrap, version } satisfies StateFile));
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while (!(await brokerAnswers(port))) {
    if (!alive(pid)) {
      rmSync(p.state, { force: true });
      throw new LocalToolError(`the Kafka broker exited while starting; the end of ${p.log}:\n${tailOf(p.log)}`);
    }
    if (Date.now() > deadline) {
      await stopKafka(opts.dataDir);
      throw new LocalToolError(`the Kafka broker did not answer on ${bootstrap} in time; the end of ${p.log}:\n${tailOf(p.log)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { running: true, pid, bootstrap, version, dir: p.dir, logFile: p.log, started: true };
}

function tailOf(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Stops the broker by its pid (SIGTERM, then SIGKILL after a grace period); false when none ran. */
export async function stopKafka(dataDir: string, graceMs = 20_000): Promise<boolean> {
  const p = paths(dataDir);
  const s = readState(p.state);
  rmSync(p.state, { force: true });
  if (!s || !alive(s.pid)) return false;
  process.kill(s.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive(s.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (alive(s.pid)) process.kill(s.pid, 'SIGKILL');
  while (alive(s.pid)) await new Promise((r) => setTimeout(r, 50));
  return true;
}
