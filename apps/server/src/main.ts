import { resolve } from 'node:path';
import { createServer } from './server.js';

/** `npm start` / `eddy serve`: HOST, PORT and EDDY_DATA from the environment. */
export async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8090);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got '${process.env.PORT}'`);
  const server = await createServer({
    host: process.env.HOST ?? '127.0.0.1',
    port,
    dataDir: resolve(process.env.EDDY_DATA ?? './data'),
  });
  console.log(`Eddy is running at ${server.url}`);
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
