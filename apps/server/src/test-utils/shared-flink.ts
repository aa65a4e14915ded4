// One local Flink for every test file that needs one (a cluster takes ~12 s and ~3.5 GB to
// start): the first file to ask starts it in .test-out/flink-cluster, the others — in other
// worker processes — wait for it and reuse it; flink-global-setup.ts stops it after the run
// when this run started it. A cluster already running there (from an earlier, killed run) is reused.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { localFlinkStatus, startLocalFlink, stopLocalFlink, type LocalFlinkUrls } from '../local/flink.js';
import { isAlive } from '../local/processes.js';

export const SHARED_FLINK_DIR = fileURLToPath(new URL('../../../../.test-out/flink-cluster', import.meta.url));
const lock = join(SHARED_FLINK_DIR, 'starting.lock');
const marker = join(SHARED_FLINK_DIR, 'started-by-run');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `n` ports free now and distinct (all held open until each is known, so the OS cannot hand one out
 * twice): fixed ports collide with other local Flinks on the machine.
 */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise<Server>((resolve, reject) => {
    const srv = createServer().once('error', reject).listen(0, '127.0.0.1', () => resolve(srv));
  })));
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** Attempts at starting the cluster: a start can fail on a port another process took meanwhile, or time out under a loaded run. */
const START_ATTEMPTS = 3;

/** The cluster started in SHARED_FLINK_DIR, when its three processes live and answer (not another cluster on its ports). */
async function running(): Promise<LocalFlinkUrls | null> {
  const s = await localFlinkStatus(SHARED_FLINK_DIR);
  const ours = s.running.every((c) => c.pid !== null);
  return ours && s.urls && s.gatewayUp && (s.overview?.taskmanagers ?? 0) > 0 ? s.urls : null;
}

/** The shared cluster's URLs, starting it if no other test file has (allow minutes on a fresh machine: the jars). */
export async function sharedFlink(): Promise<LocalFlinkUrls> {
  mkdirSync(SHARED_FLINK_DIR, { recursive: true });
  for (;;) {
    const urls = await running();
    if (urls) return urls;
    try {
      mkdirSync(lock); // atomic: one process starts the cluster
    } catch {
      let owner = 0;
      try { owner = Number(readFileSync(join(lock, 'pid'), 'utf8').trim()); } catch { /* its owner is writing it */ }
      if (owner && !isAlive(owner)) rmSync(lock, { recursive: true, force: true });
      await sleep(500);
      continue;
    }
    try {
      writeFileSync(join(lock, 'pid'), String(process.pid));
      if (await running()) continue;
      const urls = await startWithRetries();
      writeFileSync(marker, process.env.EDDY_TEST_RUN ?? 'unknown');
      return urls;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/** Starts the cluster on fresh ports, again after a failed start (whose reason goes to stderr, for the run's log). */
async function startWithRetries(): Promise<LocalFlinkUrls> {
  for (let attempt = 1; ; attempt++) {
    await stopLocalFlink(SHARED_FLINK_DIR); // leftovers of a half-started cluster
    const [restPort, gatewayPort, rpcPort] = await freePorts(3);
    try {
      // Four slots: test files run in parallel, each job takes one slot.
      return await startLocalFlink({ dataDir: SHARED_FLINK_DIR, restPort, gatewayPort, rpcPort, slots: 4, progress: () => {} });
    } catch (err) {
      if (attempt >= START_ATTEMPTS) throw err;
      console.error(`The shared Flink did not start (attempt ${attempt} of ${START_ATTEMPTS}), starting again: ${(err as Error).message}`);
    }
  }
}

/** Stops the shared cluster if the run `runId` started it. */
export async function stopSharedFlinkOfRun(runId: string): Promise<void> {
  let startedBy = '';
  try {
    startedBy = readFileSync(marker, 'utf8');
  } catch {
    return;
  }
  if (startedBy !== runId) return;
  await stopLocalFlink(SHARED_FLINK_DIR);
  rmSync(marker, { force: true });
}
