import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Maven module that lists the jars of a local Flink (flink/pom.xml at the repository root). */
export const FLINK_POM = fileURLToPath(new URL('../../../../flink/pom.xml', import.meta.url));

/** The Flink version flink/pom.xml names. */
export function flinkVersion(pom = FLINK_POM): string {
  const m = /<flink\.version>([^<]+)<\/flink\.version>/.exec(readFileSync(pom, 'utf8'));
  if (!m) throw new Error(`${pom} names no <flink.version>`);
  return m[1];
}

/** Where the resolved jars are cached: EDDY_CACHE or ~/.cache/eddy, then flink-<version>/lib. */
export function flinkLibDir(version = flinkVersion()): string {
  return join(process.env.EDDY_CACHE ?? join(homedir(), '.cache', 'eddy'), `flink-${version}`, 'lib');
}

/** Throws a readable error when a command the local Flink needs is not installed. */
export function requireTool(command: string, versionArg: string, what: string): void {
  const r = spawnSync(command, [versionArg], { stdio: 'ignore' });
  if (r.error || r.status !== 0) {
    throw new Error(`${command} was not found: the local Flink needs ${what}. Install it (e.g. 'apt-get install ${command === 'java' ? 'openjdk-17-jdk-headless' : 'maven'}') and try again`);
  }
}

const MARKER = '.complete';

/**
 * The folder of Flink's jars, resolved with Maven from flink/pom.xml the first time (into a
 * temporary folder, renamed when complete, so an interrupted download is not taken as done).
 * `progress` receives one line per downloaded artifact.
 */
export async function resolveFlinkLib(progress: (line: string) => void = () => {}): Promise<string> {
  requireTool('java', '-version', 'Java 17 or later');
  const lib = flinkLibDir();
  if (existsSync(join(lib, MARKER))) return lib;
  requireTool('mvn', '-v', 'Apache Maven (to fetch Flink\'s jars from Maven Central once)');
  // Per process: two test files may resolve at once on a fresh machine.
  const partial = `${lib}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  progress(`Resolving Flink ${flinkVersion()} with Maven into ${lib} (once; about 150 MB)…`);
  await new Promise<void>((resolve, reject) => {
    const mvn = spawn('mvn', ['-B', '-f', FLINK_POM, 'dependency:copy-dependencies', `-DoutputDirectory=${partial}`, '-DincludeScope=runtime'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    let downloaded = 0;
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 30) tail.shift();
        const m = /Downloaded from \S+: \S+\/([^/\s]+\.jar) \(([^)]+)\)/.exec(line);
        if (m) progress(`  [${++downloaded}] ${m[1]} (${m[2].replace(/ at .*/, '')})`);
      }
    };
    mvn.stdout.on('data', onData);
    mvn.stderr.on('data', onData);
    mvn.on('error', reject);
    mvn.on('close', (code) => code === 0 ? resolve() : reject(new Error(`Maven could not resolve Flink's jars (exit ${code}):\n${tail.join('\n')}`)));
  });
  const jars = readdirSync(partial).filter((f) => f.endsWith('.jar'));
  writeFileSync(join(partial, MARKER), `${jars.length} jars\n`);
  if (existsSync(join(lib, MARKER))) {
    rmSync(partial, { recursive: true, force: true }); // another process finished first
  } else {
    rmSync(lib, { recursive: true, force: true });
    try {
      renameSync(partial, lib);
    } catch (err) {
      if (!existsSync(join(lib, MARKER))) throw err;
      rmSync(partial, { recursive: true, force: true });
    }
  }
  progress(`Flink's ${jars.length} jars are in ${lib}`);
  return lib;
}
