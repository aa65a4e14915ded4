import { existsSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { buildCatalog, demoPipeline, kinds } from '@eddy/shared';
import { apiNotFound, errorHandler } from './http/errors.js';
import { pipelineRoutes } from './http/pipelines-routes.js';
import { runtimeRoutes } from './http/runtime-routes.js';
import { modelRoutes } from './http/model-routes.js';
import { previewRoutes } from './http/preview-routes.js';
import { testRoutes } from './http/tests-routes.js';
import { FlinkDeployments } from './flink/deployments.js';
import { templateRoutes } from './http/templates-routes.js';
import { attachSockets } from './http/socket.js';
import { prometheus } from './http/prometheus.js';
import { ingestRoutes } from './http/ingest-routes.js';
import { hostCheck, requireToken, securityHeaders, sessionRoutes, stateChangeCheck, tokenFromQuery } from './http/security-middleware.js';
import { accessPolicy } from './http/security.js';
import { PipelineStore } from './store/pipeline-store.js';
import { JobManager } from './jobs/job-manager.js';

export const VERSION = '0.1.0';

export interface ServerOptions {
  host?: string;
  port?: number;
  dataDir: string;
  /** Where keyed state lives while running (default disk, or EDDY_STATE=memory). */
  state?: 'disk' | 'memory';
  /** The built web app; default apps/web/dist. */
  webDir?: string;
  /** Required by every API call, /metrics and the socket when set; listening beyond loopback needs one. */
  token?: string;
  /** Names the Host header may carry besides loopback and the bound host (EDDY_ALLOWED_HOSTS). */
  allowedHosts?: string[];
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const defaultWebDir = fileURLToPath(new URL('../../web/dist', import.meta.url));

export async function createServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  // Throws before anything starts when the server would be exposed without a token.
  const policy = accessPolicy({ host, token: options.token, allowedHosts: options.allowedHosts });
  const store = new PipelineStore(options.dataDir);
  await store.load();
  if (store.list().length === 0) await store.create(demoPipeline());
  const jobs = new JobManager(store, options.dataDir, options.state ?? (process.env.EDDY_STATE === 'memory' ? 'memory' : 'disk'));

  const flink = new FlinkDeployments(options.dataDir, store);
  flink.start(); // watches the Flink jobs a previous server deployed

  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders, hostCheck(policy), stateChangeCheck);
  // Open without the token: liveness probes, and the designer's token dialog.
  app.get('/api/health', (_req, res) => { res.json({ status: 'ok', version: VERSION }); });
  app.use('/api', sessionRoutes(policy));
  app.use(['/api', '/metrics'], requireToken(policy));
  app.use('/api/ingest', ingestRoutes(store, jobs));
  app.use('/api', express.json({ limit: '1mb', strict: false }));
  const catalog = buildCatalog(kinds);
  app.get('/api/catalog', (_req, res) => { res.json(catalog); });
  app.use('/api', pipelineRoutes(store, jobs, flink), runtimeRoutes(store, jobs, flink), modelRoutes(store, jobs), templateRoutes(store, jobs, options.dataDir), previewRoutes(options.dataDir),
    testRoutes(store, jobs, options.dataDir));
  app.use('/api', apiNotFound);
  app.get('/metrics', prometheus(store, jobs));

  app.use(tokenFromQuery(policy));
  const webDir = options.webDir ?? defaultWebDir;
  if (existsSync(join(webDir, 'index.html'))) {
    app.use(express.static(webDir, { index: false, maxAge: '1h' }));
    app.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => { res.sendFile(join(webDir, 'index.html')); });
  } else {
    app.get('/', (_req, res) => {
      res.type('html').send('<h1>Eddy</h1><p>The web app is not built yet: run <code>npm run build</code> (or <code>npm start</code>).</p>');
    });
  }
  app.use(errorHandler);

  const httpServer = createHttpServer(app);
  const io = attachSockets(httpServer, store, jobs, policy, flink);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 8090, host, resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  policy.setPort(port);

  // Pipelines that were running when the server stopped run again.
  for (const p of store.list().filter((x) => x.deployed)) {
    try {
      await jobs.deploy(p, { resume: true });
    } catch (err) {
      console.error(`[eddy] could not resume pipeline ${p.id}: ${(err as Error).message}`);
    }
  }

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: async () => {
      flink.close();
      await jobs.stopAll();
      await new Promise<void>((resolve) => { void io.close(() => resolve()); });
      httpServer.closeAllConnections?.();
    },
  };
}
