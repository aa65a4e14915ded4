import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import type { ApiError, ClientToServerEvents, PipelineStatus, RowsPayload, ServerToClientEvents } from '@eddy/shared';
import { eventually, startServer, type TestServer } from '../test-utils/harness.js';

let s: TestServer;
beforeAll(async () => { s = await startServer(); });
afterAll(async () => { await s.destroy(); });

/** Two live tables fed by one generator: `views` gets the page views, `everything` every click. */
const twoSinks = (generator: Record<string, unknown>) => ({
  format: 'eddy/pipeline@1',
  name: 'Two live tables',
  nodes: [
    { id: 'clicks', kind: 'source.generator', params: { scenario: 'clickstream', ...generator } },
    { id: 'page_views', kind: 'filter', params: { where: "event_type = 'page_view'" } },
    { id: 'views', kind: 'sink.live', params: {} },
    { id: 'everything', kind: 'sink.live', params: {} },
  ],
  edges: [{ from: 'clicks', to: 'page_views' }, { from: 'page_views', to: 'views' }, { from: 'clicks', to: 'everything' }],
});

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
interface Seen { rows: RowsPayload[]; errors: ApiError[]; status: PipelineStatus[] }

function client(): { socket: Client; seen: Seen } {
  const socket: Client = connect(s.url, { transports: ['websocket'] });
  const seen: Seen = { rows: [], errors: [], status: [] };
  socket.on('rows', (r) => seen.rows.push(r));
  socket.on('error', (e) => seen.errors.push(e));
  socket.on('status', (st) => seen.status.push(st));
  return { socket, seen };
}

async function created(doc: unknown): Promise<string> {
  return (await s.api('/api/pipelines', { method: 'POST', json: doc })).body.id as string;
}

describe('live rows go only to the sockets watching their sink (watchRows / unwatchRows)', () => {
  it('a socket gets the rows of the sink it watches only, and none of a sink it stopped watching', async () => {
    const id = await created(twoSinks({ ratePerSec: 300 }));
    await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST' });
    const one = client();
    const other = client();
    for (const c of [one, other]) c.socket.emit('subscribe', { pipelineId: id });
    // Subscribing alone sends no rows: the first rows event each socket gets is of the sink it watches.
    one.socket.emit('watchRows', { pipelineId: id, nodeId: 'views' });
    other.socket.emit('watchRows', { pipelineId: id, nodeId: 'everything' });
    await eventually(() => one.seen.rows.length >= 3 && other.seen.rows.length >= 3, 'rows of each watched sink');
    expect(one.seen.rows.every((r) => r.pipelineId === id && r.nodeId === 'views')).toBe(true);
    expect(one.seen.rows.every((r) => r.rows.every((row) => row.event_type === 'page_view'))).toBe(true);
    expect(other.seen.rows.every((r) => r.nodeId === 'everything')).toBe(true);
    expect(one.seen.errors).toEqual([]);

    // `other` switches to `views`; `one` keeps it. After the switch `other` gets no rows of `everything`,
    // though `everything` still gets rows (the ones its table had grown to past what `other` last saw).
    other.socket.emit('unwatchRows', { pipelineId: id, nodeId: 'everything' });
    other.socket.emit('watchRows', { pipelineId: id, nodeId: 'views' });
    await eventually(() => other.seen.rows.some((r) => r.nodeId === 'views'), 'the views snapshot');
    const firstViews = other.seen.rows.findIndex((r) => r.nodeId === 'views');
    const lastSeenTotal = Math.max(...other.seen.rows.slice(0, firstViews).map((r) => r.total));
    await eventually(async () => (await s.api(`/api/pipelines/${id}/nodes/everything/rows`)).body.total > lastSeenTotal
      && other.seen.rows.length - firstViews >= 3, 'everything to grow while views rows arrive');
    expect(other.seen.rows.slice(firstViews).every((r) => r.nodeId === 'views')).toBe(true);

    // Unsubscribing leaves the rows rooms too: re-subscribing without a watch brings no rows before the next watch.
    one.socket.emit('unsubscribe', { pipelineId: id });
    one.socket.emit('subscribe', { pipelineId: id });
    const before = one.seen.rows.length;
    one.socket.emit('watchRows', { pipelineId: id, nodeId: 'everything' });
    await eventually(() => one.seen.rows.slice(before).filter((r) => r.nodeId === 'everything').length >= 3, 'rows after the new watch');
    const firstAfter = before + one.seen.rows.slice(before).findIndex((r) => r.nodeId === 'everything');
    expect(one.seen.rows.slice(firstAfter).every((r) => r.nodeId === 'everything')).toBe(true);

    for (const c of [one, other]) c.socket.close();
    await s.api(`/api/pipelines/${id}/stop`, { method: 'POST' });
  });

  it('a watch answers at once with the sink\'s latest rows (a finished job sends no more)', async () => {
    const id = await created(twoSinks({ ratePerSec: 0, limit: 500 }));
    await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST' });
    await eventually(async () => (await s.api(`/api/pipelines/${id}/status`)).body.state === 'finished', 'the job to finish');
    const expected = (await s.api(`/api/pipelines/${id}/nodes/everything/rows`)).body as { total: number };
    expect(expected.total).toBe(500);

    const late = client();
    late.socket.emit('subscribe', { pipelineId: id });
    late.socket.emit('watchRows', { pipelineId: id, nodeId: 'everything' });
    await eventually(() => late.seen.rows.length > 0, 'the snapshot');
    expect(late.seen.rows[0]).toMatchObject({ pipelineId: id, nodeId: 'everything', total: 500 });
    expect(late.seen.rows[0].rows.length).toBeGreaterThan(0);
    expect(late.seen.status[0]).toMatchObject({ pipelineId: id, state: 'finished' });
    late.socket.close();
  });

  it('bad watches get an error event, and the socket keeps working', async () => {
    const id = await created(twoSinks({ ratePerSec: 0, limit: 10 }));
    const { socket, seen } = client();
    socket.emit('watchRows', { pipelineId: id, nodeId: 'views' });
    socket.emit('watchRows', { pipelineId: 'no-such', nodeId: 'views' });
    socket.emit('watchRows', { pipelineId: id, nodeId: 'no spaces' });
    socket.emit('watchRows', 42 as never);
    socket.emit('unwatchRows', { pipelineId: id } as never);
    await eventually(() => seen.errors.length === 5, 'five errors');
    expect(seen.errors.map((e) => e.error.code)).toEqual(['not_subscribed', 'not_found', 'invalid_watch', 'invalid_watch', 'invalid_watch']);
    expect(seen.errors[2].error.details).toMatchObject({ nodeId: expect.any(String) });

    // Unwatching what is not watched is no error; a valid subscribe still answers.
    socket.emit('unwatchRows', { pipelineId: id, nodeId: 'views' });
    socket.emit('subscribe', { pipelineId: id });
    await eventually(() => seen.status.length > 0, 'a status');
    expect(seen.errors).toHaveLength(5);
    socket.close();
  });
});
