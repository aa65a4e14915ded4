import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import type { ApiError, ClientToServerEvents, SamplePayload, ServerToClientEvents } from '@eddy/shared';
import { eventually, startServer, viewsPerCountry, type TestServer } from '../test-utils/harness.js';

let s: TestServer;
beforeAll(async () => { s = await startServer(); });
afterAll(async () => { await s.destroy(); });

describe('edge preview (sample events)', () => {
  it('streams records seen on a watched edge, only while watched; bad requests get an error event', async () => {
    const id = (await s.api('/api/pipelines', { method: 'POST', json: viewsPerCountry('1s') })).body.id as string;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(s.url, { transports: ['websocket'] });
    const samples: SamplePayload[] = [];
    const errors: ApiError[] = [];
    socket.on('sample', (p) => samples.push(p));
    socket.on('error', (e) => errors.push(e));
    socket.emit('subscribe', { pipelineId: id });
    socket.emit('watchEdge', { pipelineId: id, edge: 'views:out' });
    await eventually(() => errors.length > 0, 'not running error');
    expect(errors[0].error.code).toBe('not_running');

    await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST' });
    socket.emit('watchEdge', { pipelineId: id, edge: 'views:out' });
    await eventually(() => samples.length >= 2, 'samples');
    expect(samples[0].edge).toBe('views:out');
    expect(samples[0].records.length).toBeGreaterThan(0);
    expect(samples[0].records.length).toBeLessThanOrEqual(20);
    expect(samples.every((p) => p.records.every((r) => r.event_type === 'page_view'))).toBe(true);

    socket.emit('unwatchEdge', { pipelineId: id, edge: 'views:out' });
    await new Promise((r) => setTimeout(r, 400));
    const after = samples.length;
    await new Promise((r) => setTimeout(r, 800));
    expect(samples.length).toBe(after);

    socket.emit('watchEdge', { pipelineId: id, edge: 'no spaces allowed' } as never);
    await eventually(() => errors.some((e) => e.error.code === 'invalid_watch'), 'invalid watch error');
    socket.close();
    await s.api(`/api/pipelines/${id}/stop`, { method: 'POST' });
  });
});
