import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@eddy/shared';
import { useLive } from '../state/live-store';

type EddySocket = Socket<ServerToClientEvents, ClientToServerEvents>;
let socket: EddySocket | null = null;
let subscribed: string | null = null;

/** One socket for the app; subscribing to a pipeline replaces the previous subscription. */
export function watchPipeline(pipelineId: string | null): void {
  if (!socket) {
    socket = io({ transports: ['websocket', 'polling'] });
    socket.on('connect', () => { if (subscribed) socket!.emit('subscribe', { pipelineId: subscribed }); });
    socket.on('metrics', (m) => { if (m.pipelineId === subscribed) useLive.getState().setMetrics(m); });
    socket.on('status', (s) => { if (s.pipelineId === subscribed) useLive.getState().setStatus(s); });
    socket.on('rows', (r) => { if (r.pipelineId === subscribed) useLive.getState().setRows(r); });
    socket.on('deadLetter', (d) => { if (d.pipelineId === subscribed) useLive.getState().addDeadLetter(d.deadLetter); });
  }
  if (subscribed === pipelineId) return;
  if (subscribed) socket.emit('unsubscribe', { pipelineId: subscribed });
  subscribed = pipelineId;
  useLive.getState().reset();
  if (pipelineId && socket.connected) socket.emit('subscribe', { pipelineId });
}
