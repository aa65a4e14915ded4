// The jars of the local Kafka broker: resolved once with Maven from the repo's kafka/pom.xml
// into ~/.cache/eddy/kafka-<version>/lib, and re-used from there by every checkout.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** kafka/pom.xml at the repo root (this file runs from apps/server/{src,dist}/local). */
export const KAFKA_POM = fileURLToPath(new URL('../../../../kafka/pom.xml', import.meta.url));

export class LocalToolError extends Error {}

export function kafkaVersion(pom = KAFKA_POM): string {
  const m = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(pom, 'utf8'));
  if (!m) throw new LocalToolError(`${pom} names no <kafka.version>`);
  return m[1];
}

function cacheRoot(): string {
  return process.env.EDDY_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'eddy');
}

/** Java's major version, or a clear error when there is none (Kafka 4 needs 17+). */
export function requireJava(): number {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (r.error) {
    throw new LocalToolError('Java is not installed (or not on PATH): the local Kafka broker needs Java 17 or newer, e.g. `apt-get install openjdk-17-jre-headless`');
  }
  const m = /version "(\d+)(?:\.(\d+))?/.exec(r.stderr + r.stdout);
  const major = m ? (m[1] === '1' ? Number(m[2]) : Number(m[1])) : 0;
  if (major < 17) throw new LocalToolError(`Java ${major || '(unknown version)'} found: the local Kafka broker needs Java 17 or newer`);
  return major;
}

function requireMaven(): void {
  const r = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (r.error) {
    throw new LocalToolError("Maven is not installed (or not on PATH): the first `eddy kafka start` resolves the broker's jars from Maven Central with it, e.g. `apt-get install maven`");
  }
}

/**
 * The folder of the broker's jars, resolving them with Maven when they are not there yet.
 * Maven copies into a temporary folder that is renamed when complete, so an interrupted
 * resolution is never taken for a finished one.
 */
export async function ensureKafkaJars(log: (line: string) => void = () => undefined): Promise<string> {
  const version = kafkaVersion();
  const dir = join(cacheRoot(), `kafka-${version}`);
  const lib = join(dir, 'lib');
  if (existsSync(lib) && readdirSync(lib).some((f) => f.startsWith('kafka_2.13-'))) return lib;
  requireMaven();
  mkdirSync(dir, { recursive: true });
  const partial = join(dir, `lib.partial-${process.pid}`);
  rmSync(partial, { recursive: true, force: true });
  log(`• Resolving Kafka ${version} and its dependencies with Maven (first run only; about 45 MB) into ${lib}…`);
  let downloaded = 0;
  let tail = '';
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn('mvn', ['-B', '-f', KAFKA_POM, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${partial}`],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    const onData = (d: Buffer) => {
      const text = d.toString();
      tail = (tail + text).slice(-4000);
      for (const line of text.split('\n')) {
        if (!/^(\[INFO\] )?Downloaded from /.test(line)) continue;
        downloaded++;
        if (downloaded % 25 === 0) log(`  … ${downloaded} files downloaded`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', reject);
    child.once('exit', (c) => resolve(c ?? 1));
  });
  if (code !== 0) {
    rmSync(partial, { recursive: true, force: true });
    throw new LocalToolError(`Maven could not resolve Kafka ${version} (exit ${code}):\n${tail.trim().split('\n').slice(-15).join('\n')}`);
  }
  rmSync(lib, { recursive: true, force: true });
  renameSync(partial, lib);
  log(`• Kafka ${version}: ${readdirSync(lib).length} jars ready${downloaded ? ` (${downloaded} files downloaded)` : ''}`);
  return lib;
}
