#!/usr/bin/env node
// The `eddy` command. Builds the TypeScript once if this checkout has not been built yet.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cliJs = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(cliJs)) {
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  process.stderr.write('eddy: building (first run)…\n');
  const r = spawnSync('npx', ['tsc', '-b'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const { cli } = await import(cliJs);
const code = await cli(process.argv.slice(2));
if (code >= 0) process.exit(code);
