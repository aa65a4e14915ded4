// A test server deploying to the shared local Flink, with a generator's events written once
// into its data folder (Flink reads files; it cannot run Eddy's generators).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../cli.js';
import { sharedFlink } from './shared-flink.js';
import { startServer, type TestServer } from './harness.js';

const quiet = { out: () => {}, err: () => {} };

/** Starts a server whose Flink gateway is the shared one; `generator` (generator → file) writes `file` into its data folder. */
export async function serverOnSharedFlink(dir: string, generator: string, file: string): Promise<TestServer> {
  process.env.EDDY_FLINK_GATEWAY = (await sharedFlink()).gatewayUrl;
  const s = await startServer(join(dir, 'server'));
  const gen = JSON.parse(readFileSync(generator, 'utf8'));
  gen.nodes[1].params.path = join(s.dataDir, file);
  writeFileSync(join(dir, 'gen.json'), JSON.stringify(gen));
  const code = await cli(['run', join(dir, 'gen.json'), '--quiet'], quiet);
  if (code !== 0) throw new Error(`writing ${file} with ${generator} exited ${code}`);
  return s;
}

export async function closeServerOnSharedFlink(s: TestServer | undefined, dir: string): Promise<void> {
  delete process.env.EDDY_FLINK_GATEWAY;
  await s?.destroy();
  rmSync(dir, { recursive: true, force: true });
}
