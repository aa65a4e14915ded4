import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RowsPayload } from '@eddy/shared';

/** A stand-in for socket.io's client socket: records what the app emits, delivers what the test sends. */
const fake = vi.hoisted(() => {
  const listeners = new Map<string, (payload: unknown) => void>();
  return {
    connected: false,
    emitted: [] as [string, unknown][],
    on(name: string, fn: (payload: unknown) => void) { listeners.set(name, fn); },
    emit(name: string, payload: unknown) { fake.emitted.push([name, payload]); },
    receive(name: string, payload?: unknown) { listeners.get(name)?.(payload); },
    connect() { fake.connected = true; fake.receive('connect'); },
    reset() { fake.connected = false; fake.emitted = []; listeners.clear(); },
  };
});
vi.mock('socket.io-client', () => ({ io: () => fake }));

const { createLiveSocket } = await import('./live-socket');

const rowsOf = (pipelineId: string, nodeId: string): RowsPayload => ({ pipelineId, nodeId, rows: [{ n: 1 }], total: 1 });

function liveSocket() {
  const rows: RowsPayload[] = [];
  const socket = createLiveSocket({
    metrics: () => {}, sample: () => {}, status: () => {}, deadLetter: () => {}, switched: () => {}, watchedEdges: () => [],
    rows: (r) => rows.push(r),
  });
  return { socket, rows };
}

describe('the live socket asks for the rows of the shown sink only', () => {
  beforeEach(() => fake.reset());

  it('watches the shown sink once connected, and again after a reconnect', () => {
    const { socket } = liveSocket();
    socket.watch('p1');
    socket.watchRows('live', true);
    expect(fake.emitted).toEqual([]);
    fake.connect();
    expect(fake.emitted).toEqual([['subscribe', { pipelineId: 'p1' }], ['watchRows', { pipelineId: 'p1', nodeId: 'live' }]]);
    fake.emitted = [];
    fake.receive('disconnect');
    fake.connect();
    expect(fake.emitted).toEqual([['subscribe', { pipelineId: 'p1' }], ['watchRows', { pipelineId: 'p1', nodeId: 'live' }]]);
  });

  it('switching the sink unwatches the previous one; switching the pipeline watches the shown sink there', () => {
    const { socket } = liveSocket();
    fake.connect();
    socket.watch('p1');
    socket.watchRows('a', true);
    socket.watchRows('a', true);
    socket.watchRows('a', false);
    socket.watchRows('b', true);
    socket.watch('p2');
    expect(fake.emitted).toEqual([
      ['subscribe', { pipelineId: 'p1' }],
      ['watchRows', { pipelineId: 'p1', nodeId: 'a' }],
      ['unwatchRows', { pipelineId: 'p1', nodeId: 'a' }],
      ['watchRows', { pipelineId: 'p1', nodeId: 'b' }],
      ['unsubscribe', { pipelineId: 'p1' }],
      ['subscribe', { pipelineId: 'p2' }],
      ['watchRows', { pipelineId: 'p2', nodeId: 'b' }],
    ]);
  });

  it('passes on rows of the shown sinks of the watched pipeline only', () => {
    const { socket, rows } = liveSocket();
    fake.connect();
    socket.watch('p1');
    socket.watchRows('a', true);
    fake.receive('rows', rowsOf('p1', 'a'));
    fake.receive('rows', rowsOf('p1', 'b'));
    fake.receive('rows', rowsOf('p2', 'a'));
    socket.watchRows('a', false);
    fake.receive('rows', rowsOf('p1', 'a'));
    expect(rows).toEqual([rowsOf('p1', 'a')]);
  });
});
