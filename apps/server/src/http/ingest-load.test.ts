import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startServer, type TestServer } from '../test-utils/harness.js';

// A small queue, so that 64 senders of 5 000-record batches overflow it.
process.env.EDDY_INGEST_MAX_RECORDS = '20000';
process.env.EDDY_INGEST_MAX_BYTES = String(4 * 1024 * 1024);

const CLIENTS = 64;
const BATCHES = 2;
const BATCH = 5000;

let s: TestServer;
let receiver: Server;
const received = new Map<string, number>();

beforeAll(async () => {
  s = await startServer();
  // The slow sink's far end: a webhook that takes 30 ms per request.
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      for (const r of JSON.parse(Buffer.concat(chunks).toString()) as { id: string }[]) received.set(r.id, (received.get(r.id) ?? 0) + 1);
      setTimeout(() => res.writeHead(200).end(), 30);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await s.destroy();
  await new Promise((r) => receiver.close(r));
});

describe('ingest under load: a bounded queue answers 503 instead of slowing the server', () => {
  it(`${CLIENTS} connections × ${BATCHES} batches of ${BATCH}: some 503 with Retry-After, health answers, every accepted record arrives once`, async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`;
    const doc = {
      format: 'eddy/pipeline@1', name: 'ingest load',
      nodes: [
        { id: 'in', kind: 'source.http', params: { maxQueuedRequests: 1000 } },
        { id: 'out', kind: 'sink.webhook', params: { url, batchSize: 500 } },
      ],
      edges: [{ from: 'in', to: 'out' }],
    };
    const id = (await s.api('/api/pipelines', { method: 'POST', json: doc })).body.id as string;
    expect((await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST' })).status).toBe(200);

    const accepted: string[] = [];
    const refused: string[] = [];
    const statuses: number[] = [];
    let retryAfter = true;
    const send = async (c: number, b: number) => {
      const ids = Array.from({ length: BATCH }, (_, i) => `${c}-${b}-${i}`);
      const res = await fetch(`${s.url}/api/ingest/${id}/in`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ids.map((x, i) => ({ id: x, n: i, pad: 'x'.repeat(16) }))),
      });
      await res.arrayBuffer();
      statuses.push(res.status);
      if (res.status === 202) accepted.push(...ids);
      else {
        expect(res.status).toBe(503);
        retryAfter &&= Number(res.headers.get('retry-after')) > 0;
        refused.push(...ids);
      }
    };
    let storming = true;
    const health: number[] = [];
    const pinger = (async () => {
      while (storming) health.push((await s.api('/api/health')).status);
    })();
    await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => { for (let b = 0; b < BATCHES; b++) await send(c, b); }));
    storming = false;
    await pinger;

    expect(statuses.filter((x) => x === 503).length).toBeGreaterThan(0);
    expect(statuses.filter((x) => x === 202).length).toBeGreaterThan(0);
    expect(retryAfter).toBe(true);
    expect(health.length).toBeGreaterThan(0);
    expect(health.every((x) => x === 200)).toBe(true);

    await eventually(() => accepted.every((x) => received.has(x)), 'every accepted record at the webhook', 60_000);
    expect(refused.filter((x) => received.has(x))).toEqual([]);
    expect([...received.values()].every((n) => n === 1)).toBe(true);
    expect(received.size).toBe(accepted.length);
    await s.api(`/api/pipelines/${id}/stop`, { method: 'POST' });
  });

  it('a batch larger than the whole queue is 413, not 503 (it would never fit)', async () => {
    const id = (await s.api('/api/pipelines', { method: 'POST', json: {
      format: 'eddy/pipeline@1', name: 'too big',
      nodes: [{ id: 'in', kind: 'source.http', params: {} }, { id: 'live', kind: 'sink.live', params: {} }], edges: [{ from: 'in', to: 'live' }],
    } })).body.id as string;
    await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST' });
    const many = await s.api(`/api/ingest/${id}/in`, { method: 'POST', json: Array.from({ length: 20_001 }, () => ({})) });
    expect([many.status, many.body.error.code]).toEqual([413, 'batch_too_large']);
    const heavy = await s.api(`/api/ingest/${id}/in`, { method: 'POST', json: [{ blob: 'x'.repeat(5 * 1024 * 1024) }] });
    expect([heavy.status, heavy.body.error.code]).toEqual([413, 'batch_too_large']);
    const ok = await s.api(`/api/ingest/${id}/in`, { method: 'POST', json: [{ a: 1 }] });
    expect(ok.status).toBe(202);
    await s.api(`/api/pipelines/${id}/stop`, { method: 'POST' });
  });
});
