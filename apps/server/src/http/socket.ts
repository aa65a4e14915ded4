import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@eddy/shared';
import type { FlinkDeployments } from '../flink/deployments.js';
import type { JobManager } from '../jobs/job-manager.js';
import type { PipelineStore } from '../store/pipeline-store.js';
import { socketAllowRequest } from './security-middleware.js';
import type { AccessPolicy } from './security.js';

const room = (id: string) => `pipeline:${id}`;
const isSubscription = (v: unknown): v is { pipelineId: string } =>
  typeof v === 'object' && v !== null && typeof (v as { pipelineId?: unknown }).pipelineId === 'string';

/** Live figures over socket.io: subscribers of a pipeline get its snapshot at once, then every change. */
export function attachSockets(httpServer: HttpServer, store: PipelineStore, jobs: JobManager, policy: AccessPolicy, flink?: FlinkDeployments) {
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    serveClient: false, maxHttpBufferSize: 1e6, allowRequest: socketAllowRequest(policy),
  });

  io.on('connection', (socket) => {
    socket.on('subscribe', (payload) => {
      if (!isSubscription(payload)) {
        socket.emit('error', { error: { code: 'invalid_subscription', message: 'subscribe needs { pipelineId: string }' } });
        return;
      }
      const p = store.get(payload.pipelineId);
      if (!p) {
        socket.emit('error', { error: { code: 'not_found', message: `Pipeline '${payload.pipelineId}' not found` } });
        return;
      }
      void socket.join(room(p.id));
      // A pipeline deployed to Flink (and not running embedded since): its Flink job's status and figures.
      const onFlink = flink?.has(p.id) && jobs.state(p.id) !== 'running' ? flink : undefined;
      socket.emit('status', onFlink?.pipelineStatus(p.id) ?? jobs.status(p.id));
      const metrics = onFlink?.latestMetrics(p.id) ?? jobs.latestMetrics(p.id);
      if (metrics) socket.emit('metrics', metrics);
      for (const rows of jobs.allRows(p.id)) socket.emit('rows', rows);
    });
    socket.on('unsubscribe', (payload) => {
      if (isSubscription(payload)) void socket.leave(room(payload.pipelineId));
    });
    // Edge previews: this socket's watched edges, released when it goes.
    const watched = new Set<string>();
    const isWatch = (v: unknown): v is { pipelineId: string; edge: string } => {
      const edge = (v as { edge?: unknown } | null)?.edge;
      return isSubscription(v) && typeof edge === 'string' && /^[A-Za-z_][A-Za-z0-9_-]*:[A-Za-z_][A-Za-z0-9_]*$/.test(edge);
    };
    socket.on('watchEdge', (payload) => {
      if (!isWatch(payload)) {
        socket.emit('error', { error: { code: 'invalid_watch', message: 'watchEdge needs { pipelineId, edge: "<node>:<port>" }' } });
        return;
      }
      const key = `${payload.pipelineId}|${payload.edge}`;
      if (watched.has(key)) return;
      if (!jobs.watchEdge(payload.pipelineId, payload.edge, true)) {
        socket.emit('error', { error: { code: 'not_running', message: `Pipeline '${payload.pipelineId}' is not running: no records to preview` } });
        return;
      }
      watched.add(key);
      void socket.join(`sample:${key}`);
    });
    const unwatch = (key: string) => {
      const [pipelineId, edge] = key.split('|');
      watched.delete(key);
      jobs.watchEdge(pipelineId, edge, false);
      void socket.leave(`sample:${key}`);
    };
    socket.on('unwatchEdge', (payload) => {
      if (isWatch(payload) && watched.has(`${payload.pipelineId}|${payload.edge}`)) unwatch(`${payload.pipelineId}|${payload.edge}`);
    });
    socket.on('disconnect', () => { for (const key of [...watched]) unwatch(key); });
  });

  jobs.on('metrics', (m) => io.to(room(m.pipelineId)).emit('metrics', m));
  jobs.on('status', (s) => io.to(room(s.pipelineId)).emit('status', s));
  jobs.on('rows', (r) => io.to(room(r.pipelineId)).emit('rows', r));
  jobs.on('deadLetter', (d) => io.to(room(d.pipelineId)).emit('deadLetter', d));
  flink?.on('metrics', (m) => io.to(room(m.pipelineId)).emit('metrics', m));
  flink?.on('status', (s) => io.to(room(s.pipelineId)).emit('status', s));
  jobs.on('sample', (p) => io.to(`sample:${p.pipelineId}|${p.edge}`).emit('sample', p));
  return io;
}
