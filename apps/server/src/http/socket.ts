import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, WatchRowsPayload } from '@eddy/shared';
import type { FlinkDeployments } from '../flink/deployments.js';
import type { JobManager } from '../jobs/job-manager.js';
import type { PipelineStore } from '../store/pipeline-store.js';
import { socketAllowRequest } from './security-middleware.js';
import type { AccessPolicy } from './security.js';

const room = (id: string) => `pipeline:${id}`;
const isSubscription = (v: unknown): v is { pipelineId: string } =>
  typeof v === 'object' && v !== null && typeof (v as { pipelineId?: unknown }).pipelineId === 'string';
/** One room per sink.live node, so a rows event is one emit to the sockets showing that node. */
const rowsRoom = (pipelineId: string, nodeId: string) => `rows:${pipelineId}:${nodeId}`;
const isRowsWatch = (v: unknown): v is WatchRowsPayload => {
  const nodeId = (v as { nodeId?: unknown } | null)?.nodeId;
  return isSubscription(v) && typeof nodeId === 'string' && /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/.test(nodeId);
};
const BAD_ROWS_WATCH = { pipelineId: 'a string', nodeId: 'a node id: a letter or _, then letters, digits, _ or - (at most 64)' };
/** More than any drawer shows; bounds the rooms one socket can make. */
const MAX_WATCHED_ROWS = 64;

/**
 * Live figures over socket.io: subscribers of a pipeline get its snapshot at once, then every change;
 * rows only of the sink.live nodes they watch (watchRows), edge samples only of the edges they watch.
 */
export function attachSockets(httpServer: HttpServer, store: PipelineStore, jobs: JobManager, policy: AccessPolicy, flink?: FlinkDeployments) {
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    serveClient: false, maxHttpBufferSize: 1e6, allowRequest: socketAllowRequest(policy),
  });

  io.on('connection', (socket) => {
    // Live rows: this socket's watched sink.live nodes, per pipeline (socket.io drops the rooms on disconnect).
    const watchedRows = new Map<string, Set<string>>();
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
    });
    socket.on('unsubscribe', (payload) => {
      if (!isSubscription(payload)) return;
      void socket.leave(room(payload.pipelineId));
      for (const nodeId of watchedRows.get(payload.pipelineId) ?? []) void socket.leave(rowsRoom(payload.pipelineId, nodeId));
      watchedRows.delete(payload.pipelineId);
    });
    socket.on('watchRows', (payload) => {
      if (!isRowsWatch(payload)) {
        socket.emit('error', { error: { code: 'invalid_watch', message: 'watchRows needs { pipelineId, nodeId }', details: BAD_ROWS_WATCH } });
        return;
      }
      const { pipelineId, nodeId } = payload;
      if (!store.get(pipelineId)) {
        socket.emit('error', { error: { code: 'not_found', message: `Pipeline '${pipelineId}' not found` } });
        return;
      }
      if (!socket.rooms.has(room(pipelineId))) {
        socket.emit('error', { error: { code: 'not_subscribed', message: `Subscribe to pipeline '${pipelineId}' before watching its rows` } });
        return;
      }
      const nodes = watchedRows.get(pipelineId) ?? new Set<string>();
      if (!nodes.has(nodeId)) {
        if ([...watchedRows.values()].reduce((n, set) => n + set.size, 0) >= MAX_WATCHED_ROWS) {
          socket.emit('error', { error: { code: 'too_many_watches', message: `At most ${MAX_WATCHED_ROWS} live tables can be watched at once` } });
          return;
        }
        watchedRows.set(pipelineId, nodes.add(nodeId));
        void socket.join(rowsRoom(pipelineId, nodeId));
      }
      // A late watcher sees the table at once, not at the next rows event.
      const latest = jobs.latestRows(pipelineId, nodeId);
      if (latest) socket.emit('rows', latest);
    });
    socket.on('unwatchRows', (payload) => {
      if (!isRowsWatch(payload)) {
        socket.emit('error', { error: { code: 'invalid_watch', message: 'unwatchRows needs { pipelineId, nodeId }', details: BAD_ROWS_WATCH } });
        return;
      }
      const nodes = watchedRows.get(payload.pipelineId);
      if (!nodes?.delete(payload.nodeId)) return;
      if (!nodes.size) watchedRows.delete(payload.pipelineId);
      void socket.leave(rowsRoom(payload.pipelineId, payload.nodeId));
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
  jobs.on('rows', (r) => io.to(rowsRoom(r.pipelineId, r.nodeId)).emit('rows', r));
  jobs.on('deadLetter', (d) => io.to(room(d.pipelineId)).emit('deadLetter', d));
  flink?.on('metrics', (m) => io.to(room(m.pipelineId)).emit('metrics', m));
  flink?.on('status', (s) => io.to(room(s.pipelineId)).emit('status', s));
  jobs.on('sample', (p) => io.to(`sample:${p.pipelineId}|${p.edge}`).emit('sample', p));
  return io;
}
