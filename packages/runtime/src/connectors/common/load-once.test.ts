// Imports the compiled runtime (dist/) in a fresh process: build with `npx tsc -b` first.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadOnce } from './load-once.js';

const dist = new URL('../../../dist/', import.meta.url).href;
const CLIENTS = ['ioredis', 'kafkajs', 'mqtt', 'nats', 'pg'];

/** The client libraries a fresh process has loaded after running `script` (CommonJS packages only, as these five are). */
async function clientsLoadedAfter(script: string): Promise<string[]> {
  const program = `import Module from 'node:module';
${script}
const loaded = new Set(Object.keys(Module._cache).map((f) => /node_modules\\/([^/]+)\\//.exec(f)?.[1]));
console.log(JSON.stringify(${JSON.stringify(CLIENTS)}.filter((c) => loaded.has(c))));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', program]);
  return JSON.parse(stdout) as string[];
}

describe('connector client libraries', () => {
  it('are not loaded with the runtime', async () => {
    expect(await clientsLoadedAfter(`await import('${dist}index.js');`)).toEqual([]);
  });

  it('load when a node of that kind needs its client, and only that one', async () => {
    const script = `const { kafkaClient } = await import('${dist}connectors/kafka/client.js');
await kafkaClient('127.0.0.1:1', 'k');`;
    expect(await clientsLoadedAfter(script)).toEqual(['kafkajs']);
  });
});

describe('loadOnce', () => {
  it('loads once however many callers ask, at once or later', async () => {
    let loads = 0;
    const load = loadOnce(async () => ({ n: ++loads }));
    const [a, b] = await Promise.all([load(), load()]);
    expect(await load()).toBe(a);
    expect(b).toBe(a);
    expect(loads).toBe(1);
  });
});
