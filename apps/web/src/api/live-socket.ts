import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, DeadLetter, PipelineMetrics, PipelineStatus, RowsPayload, SamplePayload, ServerToClientEvents } from '@eddy/shared';

type EddySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** What the app does with the events of the watched pipeline (events of other pipelines never reach it). */
export interface LiveHandlers {
  metrics(m: PipelineMetrics): void;
  sample(p: SamplePayload): void;
  status(s: PipelineStatus): void;
  rows(r: RowsPayload): void;
  deadLetter(d: DeadLetter): void;
  /** The watched pipeline changed: forget what was shown for the previous one. */
  switched(pipelineId: string | null): void;
  /** Edges to sample again when a new run starts (a new run has a fresh sample tap on the server). */
  watchedEdges(): string[];
}

export interface LiveSocket {
  /** Subscribes to one pipeline's events, replacing the previous subscription. */
  watch(pipelineId: string | null): void;
  /** Starts or stops `sample` events for an edge (`<node>:<port>`) of the watched pipeline. */
  watchEdge(edge: string, on: boolean): void;
  /**
   * Starts or stops `rows` events of a sink.live node: the server sends rows only of the nodes
   * shown. Kept across pipeline switches and reconnects (sent again on each subscribe).
   */
  watchRows(nodeId: string, on: boolean): void;
  watched(): string | null;
}

/** One socket for the app, opened on the first `watch`; it knows no stores, only its handlers. */
export function createLiveSocket(handlers: LiveHandlers): LiveSocket {
  let socket: EddySocket | null = null;
  let subscribed: string | null = null;
  const rowsShown = new Set<string>();

  /** A (re)subscribe, with the rows watches the server forgot (a new connection, or the other pipeline's rooms left). */
  const subscribe = (s: EddySocket, pipelineId: string) => {
    s.emit('subscribe', { pipelineId });
    for (const nodeId of rowsShown) s.emit('watchRows', { pipelineId, nodeId });
  };

  const open = (): EddySocket => {
    const s: EddySocket = io({ transports: ['websocket', 'polling'] });
    s.on('connect', () => { if (subscribed) subscribe(s, subscribed); });
    s.on('metrics', (m) => { if (m.pipelineId === subscribed) handlers.metrics(m); });
    s.on('sample', (p) => { if (p.pipelineId === subscribed) handlers.sample(p); });
    s.on('status', (st) => {
      if (st.pipelineId !== subscribed) return;
      if (st.state === 'running') for (const edge of handlers.watchedEdges()) s.emit('watchEdge', { pipelineId: st.pipelineId, edge });
      handlers.status(st);
    });
    // One in flight when its node was unwatched may still come: only shown nodes reach the handler.
    s.on('rows', (r) => { if (r.pipelineId === subscribed && rowsShown.has(r.nodeId)) handlers.rows(r); });
    s.on('deadLetter', (d) => { if (d.pipelineId === subscribed) handlers.deadLetter(d.deadLetter); });
    return s;
  };

  return {
    watch(pipelineId) {
      socket ??= open();
      if (subscribed === pipelineId) return;
      if (subscribed) socket.emit('unsubscribe', { pipelineId: subscribed });
      subscribed = pipelineId;
      handlers.switched(pipelineId);
      if (pipelineId && socket.connected) subscribe(socket, pipelineId);
    },
    watchEdge(edge, on) {
      if (!socket || !subscribed) return;
      socket.emit(on ? 'watchEdge' : 'unwatchEdge', { pipelineId: subscribed, edge });
    },
    watchRows(nodeId, on) {
      if (on === rowsShown.has(nodeId)) return;
      if (on) rowsShown.add(nodeId); else rowsShown.delete(nodeId);
      if (socket?.connected && subscribed) socket.emit(on ? 'watchRows' : 'unwatchRows', { pipelineId: subscribed, nodeId });
    },
    watched: () => subscribed,
  };
}
