import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJob } from '@eddy/runtime';

const dataDir = join(tmpdir(), 'eddy-bench-data');

/** Deterministic input files, written by Eddy's own generator (seeded; not timed), once per machine. */
export async function dataFile(scenario: string, n: number, seed: number): Promise<string> {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, `${scenario}-${n}-${seed}.jsonl`);
  if (existsSync(path)) return path;
  const job = createJob({
    format: 'eddy/pipeline@1', name: 'bench data',
    nodes: [
      { id: 'gen', kind: 'source.generator', params: { scenario, ratePerSec: 0, limit: n, seed, startTime: 0, keys: 10_000 } },
      { id: 'out', kind: 'sink.file', params: { path } },
    ],
    edges: [{ from: 'gen', to: 'out' }],
  }, { baseDir: dataDir, metrics: false });
  await job.start();
  await job.done;
  return path;
}
