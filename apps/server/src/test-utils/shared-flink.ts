// One local Flink for every test file that needs one (a cluster takes ~12 s and ~3.5 GB to
// start): the first file to ask starts it in .test-out/flink-cluster, the others — in other
// worker processes — wait for it and reuse it; flink-global-setup.ts stops it after the run
// when this run started it. A cluster already running there (from an earlier, killed run) is reused.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { localFlinkStatus, startLocalFlink, stopLocalFlink, type LocalFlinkUrls } from '../local/flink.js';
import { isAlive } from '../local/processes.js';

export const SHARED_FLINK_DIR = fileURLToPath(new URL('../../../../.test-out/flink-cluster', import.meta.url));
const lock = join(SHARED_FLINK_DIR, 'starting.lock');
const marker = join(SHARED_FLINK_DIR, 'started-by-run');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A port free now: fixed ports collide with other local Flinks on the machine. */
const freePort = () => new Promise<number>((resolve, reject) => {
  const srv = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
    const { port } = srv.address() as { port: number };
    srv.close(() => resolve(port));
  });
});

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
      await stopLocalFlink(SHARED_FLINK_DIR); // leftovers of a half-started cluster
      // Four slots: test files run in parallel, each job takes one slot.
      const urls = await startLocalFlink({ dataDir: SHARED_FLINK_DIR, restPort: await freePort(), gatewayPort: await freePort(), rpcPort: await freePort(), slots: 4, progress: () => {} });
      writeFileSync(marker, process.env.EDDY_TEST_RUN ?? 'unknown');
      return urls;
    } finally {
      rmSync(lock, { recursive: true, force: true });
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
