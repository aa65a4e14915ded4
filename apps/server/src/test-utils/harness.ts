// Test helpers: a real server on a free port with its own temp data folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type RunningServer } from '../server.js';

export interface TestServer extends RunningServer {
  dataDir: string;
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<{ status: number; body: any; headers: Headers }>;
  restart(): Promise<TestServer>;
  destroy(): Promise<void>;
}

export async function startServer(dataDir = mkdtempSync(join(tmpdir(), 'eddy-server-'))): Promise<TestServer> {
  const server = await createServer({ host: '127.0.0.1', port: 0, dataDir, webDir: join(dataDir, 'no-web') });
  const self: TestServer = {
    ...server,
    dataDir,
    async api(path, init = {}) {
      const { json, ...rest } = init;
      const res = await fetch(server.url + path, {
        ...rest,
        headers: { ...(json !== undefined && { 'content-type': 'application/json' }), ...(rest.headers as Record<string, string>) },
        body: json !== undefined ? JSON.stringify(json) : rest.body,
      });
      const text = await res.text();
      let body: unknown = text;
      try { body = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
      return { status: res.status, body, headers: res.headers };
    },
    async restart() {
      await server.close();
      return startServer(dataDir);
    },
    async destroy() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return self;
}

/** Polls until `check` returns a truthy value (never asserts on timing; fails after the deadline). */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const viewsPerCountry = (windowSize = '1s') => ({
  format: 'eddy/pipeline@1',
  name: 'Views per country',
  nodes: [
    { id: 'clicks', kind: 'source.generator', params: { scenario: 'clickstream', ratePerSec: 500 } },
    { id: 'views', kind: 'filter', params: { where: "event_type = 'page_view'" } },
    { id: 'per_country', kind: 'window', params: { type: 'tumbling', size: windowSize, keyBy: ['country'], aggregates: [{ name: 'views', fn: 'count' }] } },
    { id: 'live', kind: 'sink.live', params: {} },
  ],
  edges: [{ from: 'clicks', to: 'views' }, { from: 'views', to: 'per_country' }, { from: 'per_country', to: 'live' }],
});
