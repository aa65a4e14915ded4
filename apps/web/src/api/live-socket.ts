import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@eddy/shared';
import { useLive } from '../state/live-store';
import { clearHistory, recordMetrics } from '../state/history-store';
import { useSamples } from '../state/samples-store';

type EddySocket = Socket<ServerToClientEvents, ClientToServerEvents>;
let socket: EddySocket | null = null;
let subscribed: string | null = null;

/** One socket for the app; subscribing to a pipeline replaces the previous subscription. */
export function watchPipeline(pipelineId: string | null): void {
  if (!socket) {
    socket = io({ transports: ['websocket', 'polling'] });
    socket.on('connect', () => { if (subscribed) socket!.emit('subscribe', { pipelineId: subscribed }); });
    socket.on('metrics', (m) => {
      if (m.pipelineId !== subscribed) return;
      useLive.getState().setMetrics(m);
      recordMetrics(m);
    });
    socket.on('sample', (p) => { if (p.pipelineId === subscribed) useSamples.getState().add(p); });
    socket.on('status', (st) => {
      // A new run has a fresh sample tap on the server: watch the edges again.
      if (st.pipelineId === subscribed && st.state === 'running') for (const edge of useSamples.getState().watching) socket!.emit('watchEdge', { pipelineId: st.pipelineId, edge });
    });
    socket.on('status', (s) => { if (s.pipelineId === subscribed) useLive.getState().setStatus(s); });
    socket.on('rows', (r) => { if (r.pipelineId === subscribed) useLive.getState().setRows(r); });
    socket.on('deadLetter', (d) => { if (d.pipelineId === subscribed) useLive.getState().addDeadLetter(d.deadLetter); });
  }
  if (subscribed === pipelineId) return;
  if (subscribed) socket.emit('unsubscribe', { pipelineId: subscribed });
  subscribed = pipelineId;
  useLive.getState().reset();
  useSamples.getState().reset();
  clearHistory();
  if (pipelineId && socket.connected) socket.emit('subscribe', { pipelineId });
}

/** Start or stop `sample` events for an edge (`<node>:<port>`) of the subscribed pipeline. */
export function watchEdge(edge: string, on: boolean): void {
  if (!socket || !subscribed) return;
  socket.emit(on ? 'watchEdge' : 'unwatchEdge', { pipelineId: subscribed, edge });
}
