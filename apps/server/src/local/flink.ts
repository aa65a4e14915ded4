import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { flinkVersion, resolveFlinkLib } from './flink-jars.js';
import { getJson, readPid, spawnDetached, stopPidFile, waitUntil } from './processes.js';

/**
 * A local Flink for trying and testing: a standalone session cluster (one JobManager with the
 * Web UI, one TaskManager) and a SQL Gateway pointed at it, on 127.0.0.1, started the way
 * Flink's bin/jobmanager.sh, taskmanager.sh and sql-gateway.sh start them, from the jars
 * flink/pom.xml resolves. Its config, logs and pid files live in `<data>/flink`.
 */
export interface LocalFlinkOptions {
  /** The data folder (EDDY_DATA, default ./data); the cluster's files go to `<dataDir>/flink`. */
  dataDir: string;
  restPort?: number;
  gatewayPort?: number;
  rpcPort?: number;
  /** Task slots of the one TaskManager. */
  slots?: number;
  progress?: (line: string) => void;
}

export interface LocalFlinkUrls { webUrl: string; gatewayUrl: string }

const COMPONENTS = [
  { name: 'jobmanager', main: 'org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint', resources: 'GET_JM_RESOURCE_PARAMS' },
  { name: 'taskmanager', main: 'org.apache.flink.runtime.taskexecutor.TaskManagerRunner', resources: 'GET_TM_RESOURCE_PARAMS' },
  { name: 'sql-gateway', main: 'org.apache.flink.table.gateway.SqlGateway', resources: null },
] as const;

// What flink-dist's config.yaml sets for Java 17 (Flink reflects into these packages).
const JAVA_17_OPTS = [
  '--add-exports=java.base/sun.net.util=ALL-UNNAMED', '--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED', '--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED', '--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED', '--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED',
  '--add-opens=java.base/java.lang=ALL-UNNAMED', '--add-opens=java.base/java.net=ALL-UNNAMED', '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/java.nio=ALL-UNNAMED', '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED', '--add-opens=java.base/java.lang.reflect=ALL-UNNAMED',
  '--add-opens=java.base/java.text=ALL-UNNAMED', '--add-opens=java.base/java.time=ALL-UNNAMED', '--add-opens=java.base/java.util=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent=ALL-UNNAMED', '--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED',
];

const paths = (dataDir: string) => {
  const home = join(resolve(dataDir), 'flink');
  return { home, conf: join(home, 'conf'), log: join(home, 'log'), run: join(home, 'run'), urls: join(home, 'run', 'urls.json') };
};

/** The flat config.yaml of the local cluster (Flink 2 reads flattened keys in config.yaml). */
function configYaml(o: Required<Omit<LocalFlinkOptions, 'progress'>>, home: string): string {
  const settings: Record<string, string | number> = {
    'jobmanager.rpc.address': '127.0.0.1', 'jobmanager.rpc.port': o.rpcPort, 'jobmanager.bind-host': '127.0.0.1',
    'jobmanager.memory.process.size': '1g', 'jobmanager.execution.failover-strategy': 'region',
    'taskmanager.bind-host': '127.0.0.1', 'taskmanager.host': '127.0.0.1', 'taskmanager.numberOfTaskSlots': o.slots,
    'taskmanager.memory.process.size': '2g', 'parallelism.default': 1,
    'rest.address': '127.0.0.1', 'rest.bind-address': '127.0.0.1', 'rest.port': o.restPort,
    'sql-gateway.endpoint.rest.address': '127.0.0.1', 'sql-gateway.endpoint.rest.bind-address': '127.0.0.1',
    'sql-gateway.endpoint.rest.port': o.gatewayPort,
    'execution.target': 'remote',
    'state.checkpoints.dir': `file://${join(home, 'checkpoints')}`, 'state.savepoints.dir': `file://${join(home, 'savepoints')}`,
    'io.tmp.dirs': join(home, 'tmp'), 'web.tmpdir': join(home, 'tmp', 'web'),
  };
  return `# Written by 'eddy flink start'; rewritten at each start.\n${Object.entries(settings).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join('\n')}\n`;
}

const LOG4J = `# Written by 'eddy flink start': each process logs to the file named by -Dlog.file.
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
appender.main.name = MainAppender
appender.main.type = RollingFile
appender.main.append = true
appender.main.fileName = \${sys:log.file}
appender.main.filePattern = \${sys:log.file}.%i
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
appender.main.policies.type = Policies
appender.main.policies.size.type = SizeBasedTriggeringPolicy
appender.main.policies.size.size = 50MB
appender.main.strategy.type = DefaultRolloverStrategy
appender.main.strategy.max = 3
logger.netty.name = org.jboss.netty.channel.DefaultChannelPipeline
logger.netty.level = OFF
`;

/**
 * JVM flags and dynamic configuration for a component, computed by Flink's BashJavaUtils from
 * the memory settings, as bin/config.sh does (the last two lines of its output).
 */
function resourceParams(lib: string, conf: string, command: string): { jvm: string[]; dynamic: string[] } {
  const r = spawnSync('java', ['-cp', `${lib}/*`, 'org.apache.flink.runtime.util.bash.BashJavaUtils', command, '--configDir', conf], { encoding: 'utf8' });
  const results = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.startsWith('BASH_JAVA_UTILS_EXEC_RESULT:'))
    .map((l) => l.slice('BASH_JAVA_UTILS_EXEC_RESULT:'.length).trim());
  if (r.status !== 0 || results.length !== 2) throw new Error(`Flink could not compute its memory settings (${command}):\n${r.stdout}${r.stderr}`);
  return { jvm: results[0].split(/\s+/).filter(Boolean), dynamic: results[1].split(/\s+/).filter(Boolean) };
}

export interface LocalFlinkStatus {
  running: { name: string; pid: number | null }[];
  urls: LocalFlinkUrls | null;
  /** From the Web UI's /overview when it answers. */
  overview?: { taskmanagers: number; 'slots-total': number; 'jobs-running': number; 'flink-version': string };
  gatewayUp: boolean;
}

/** The URLs of a local Flink started from this data folder, or null. */
export function localFlinkUrls(dataDir: string): LocalFlinkUrls | null {
  const { urls } = paths(dataDir);
  return existsSync(urls) ? (JSON.parse(readFileSync(urls, 'utf8')) as LocalFlinkUrls) : null;
}

export async function localFlinkStatus(dataDir: string): Promise<LocalFlinkStatus> {
  const p = paths(dataDir);
  const running = COMPONENTS.map((c) => ({ name: c.name, pid: readPid(join(p.run, `${c.name}.pid`)) }));
  const urls = localFlinkUrls(dataDir);
  const status: LocalFlinkStatus = { running, urls, gatewayUp: false };
  if (urls) {
    status.overview = await getJson<LocalFlinkStatus['overview']>(`${urls.webUrl}/overview`).catch(() => undefined);
    status.gatewayUp = await getJson(`${urls.gatewayUrl}/v1/info`).then(() => true, () => false);
  }
  return status;
}

/** Starts the cluster and the gateway (resolving the jars the first time) and waits until both answer. */
export async function startLocalFlink(options: LocalFlinkOptions): Promise<LocalFlinkUrls> {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as LocalFlinkOptions;
  const o = { restPort: 8081, gatewayPort: 8083, rpcPort: 6123, slots: 2, ...given };
  const say = o.progress ?? (() => {});
  const p = paths(o.dataDir);
  const already = COMPONENTS.filter((c) => readPid(join(p.run, `${c.name}.pid`)) !== null).map((c) => c.name);
  if (already.length) throw new Error(`The local Flink is already running (${already.join(', ')}); 'eddy flink stop' first, or 'eddy flink status'`);
  const lib = await resolveFlinkLib(say);
  for (const dir of [p.conf, p.log, p.run, join(p.home, 'tmp', 'web')]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(p.conf, 'config.yaml'), configYaml({ dataDir: o.dataDir, restPort: o.restPort, gatewayPort: o.gatewayPort, rpcPort: o.rpcPort, slots: o.slots }, p.home));
  writeFileSync(join(p.conf, 'log4j.properties'), LOG4J);
  const urls: LocalFlinkUrls = { webUrl: `http://127.0.0.1:${o.restPort}`, gatewayUrl: `http://127.0.0.1:${o.gatewayPort}` };
  say(`Starting Flink ${flinkVersion()} (JobManager 1 GiB, TaskManager 2 GiB with ${o.slots} slots, SQL Gateway) — logs in ${p.log}`);
  const pids: number[] = [];
  const start = (c: (typeof COMPONENTS)[number]) => {
    const res = c.resources ? resourceParams(lib, p.conf, c.resources) : { jvm: ['-Xmx512m'], dynamic: [] };
    const logFile = join(p.log, `${c.name}.log`);
    const args = [...JAVA_17_OPTS, ...res.jvm, `-Dlog.file=${logFile}`, `-Dlog4j.configurationFile=file:${join(p.conf, 'log4j.properties')}`,
      '-cp', `${lib}/*`, c.main, ...(c.name === 'sql-gateway' ? [] : ['--configDir', p.conf]), ...res.dynamic];
    pids.push(spawnDetached('java', args, { logFile: join(p.log, `${c.name}.out`), pidFile: join(p.run, `${c.name}.pid`),
      env: { ...process.env, FLINK_CONF_DIR: p.conf, FLINK_LIB_DIR: lib } }));
  };
  try {
    start(COMPONENTS[0]);
    start(COMPONENTS[1]);
    await waitUntil('The Flink cluster', async () => (await getJson<{ taskmanagers: number }>(`${urls.webUrl}/overview`)).taskmanagers > 0,
      { timeoutMs: 120_000, pids, logHint: `${p.log}/jobmanager.log, taskmanager.log` });
    start(COMPONENTS[2]);
    await waitUntil('The SQL Gateway', async () => !!(await getJson(`${urls.gatewayUrl}/v1/info`)),
      { timeoutMs: 120_000, pids, logHint: `${p.log}/sql-gateway.log` });
  } catch (err) {
    await stopLocalFlink(o.dataDir);
    throw err;
  }
  writeFileSync(p.urls, JSON.stringify(urls) + '\n');
  return urls;
}

/** Stops the gateway, the TaskManager and the JobManager; returns the names of those that were running. */
export async function stopLocalFlink(dataDir: string): Promise<string[]> {
  const p = paths(dataDir);
  const stopped: string[] = [];
  for (const c of [...COMPONENTS].reverse()) if (await stopPidFile(join(p.run, `${c.name}.pid`))) stopped.push(c.name);
  return stopped;
}
