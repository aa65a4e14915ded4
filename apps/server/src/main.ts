import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { createServer } from './server.js';
import { isLoopback } from './http/security.js';

/** `--token <t>` / `--token=<t>` from the arguments, else EDDY_TOKEN; `generate` makes a random one. */
export function tokenSetting(args: string[], env: NodeJS.ProcessEnv = process.env): { token?: string; generated: boolean } {
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--token') {
      value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw new Error('--token needs a value: a secret of 16+ characters, or generate');
    } else if (args[i].startsWith('--token=')) value = args[i].slice('--token='.length);
  }
  value ??= env.EDDY_TOKEN || undefined;
  if (value === 'generate') return { token: randomBytes(24).toString('base64url'), generated: true };
  return { token: value, generated: false };
}

/** `npm start` / `eddy serve`: HOST, PORT, EDDY_DATA, EDDY_TOKEN (or --token) and EDDY_ALLOWED_HOSTS. */
export async function main(args: string[] = process.argv.slice(2)): Promise<void> {
  const port = Number(process.env.PORT ?? 8090);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got '${process.env.PORT}'`);
  const host = process.env.HOST ?? '127.0.0.1';
  const { token, generated } = tokenSetting(args);
  const server = await createServer({
    host,
    port,
    dataDir: resolve(process.env.EDDY_DATA ?? './data'),
    token,
    allowedHosts: (process.env.EDDY_ALLOWED_HOSTS ?? '').split(',').filter((h) => h.trim()),
  });
  console.log(`Eddy is running at ${server.url}${token ? ' (a token is required)' : ''}`);
  if (generated) {
    // Printed once, as Jupyter does: opening this URL stores the token in a cookie.
    console.log('Open the designer with its token (shown only now):');
    const everywhere = ['0.0.0.0', '::', '[::]'].includes(host);
    const bases = isLoopback(host) ? [server.url] : [everywhere ? `http://${hostname()}:${server.port}` : server.url, `http://127.0.0.1:${server.port}`];
    for (const base of bases) console.log(`    ${base}/?token=${token}`);
  }
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    // Running pipelines stay marked deployed, so they resume on the next start.
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

if (process.argv[1] && import.meta.url === new URL(`file://${resolve(process.argv[1])}`).href) {
  main().catch((err: Error) => {
    console.error(`Eddy could not start: ${err.message}`);
    process.exit(1);
  });
}
