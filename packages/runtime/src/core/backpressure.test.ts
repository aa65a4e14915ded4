import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJob } from '../api.js';

/** A deliberately slow endpoint: every request is answered 20 ms late. */
let server: Server;
let url = '';
let received = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => { body += d.toString(); });
    req.on('end', () => setTimeout(() => {
      received += (JSON.parse(body) as unknown[]).length;
      res.end('ok');
    }, 20));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const slowSinkPipeline = (mode: string) => ({
  format: 'eddy/pipeline@1', name: 'slow sink', settings: { mode, batchIntervalMs: 50 },
  nodes: [
    { id: 'gen', kind: 'source.generator', params: { scenario: 'clickstream', ratePerSec: 0, seed: 1 } },
    { id: 'f', kind: 'filter', params: { where: 'price >= 0' } },
    { id: 'hook', kind: 'sink.webhook', params: { url, batchSize: 200 } },
  ],
  edges: [{ from: 'gen', to: 'f' }, { from: 'f', to: 'hook' }],
});

async function runFor(mode: string, seconds: number) {
  received = 0;
  const job = createJob(slowSinkPipeline(mode), { baseDir: process.cwd() });
  await job.start();
  const samples: { heapMb: number; backlog: number; received: number; sourceBackpressure: number }[] = [];
  for (let s = 0; s < seconds; s++) {
    await new Promise((r) => setTimeout(r, 1000));
    const m = job.metrics().nodes;
    samples.push({ heapMb: process.memoryUsage().heapUsed / 2 ** 20, backlog: m.gen.recordsOut - m.hook.recordsIn, received, sourceBackpressure: m.gen.backpressure });
  }
  await job.stop();
  return samples;
}

describe('backpressure: a fast generator into a slow webhook sink', () => {
  it('native, 30 s: the source slows to the sink\'s pace; backlog and memory stay bounded', async () => {
    const samples = await runFor('native', 30);
    // The sink kept receiving all along, and the generator never ran ahead of it by more than a few chunks.
    expect(samples[29].received).toBeGreaterThan(samples[9].received);
    expect(samples[9].received).toBeGreaterThan(0);
    for (const s of samples) expect(s.backlog).toBeLessThan(5_000);
    // Heap does not grow with time: the last ten seconds stay within a small margin of seconds 5–10.
    const early = Math.max(...samples.slice(4, 10).map((s) => s.heapMb));
    const late = Math.max(...samples.slice(20).map((s) => s.heapMb));
    expect(late).toBeLessThan(early + 48);
    // The source spends most of its time blocked on the sink, and says so in its metrics.
    expect(samples[29].sourceBackpressure).toBeGreaterThan(0.5);
  }, 60_000);

  it('microbatch: the same bound holds with batches', async () => {
    const samples = await runFor('microbatch', 6);
    expect(samples[5].received).toBeGreaterThan(0);
    for (const s of samples) expect(s.backlog).toBeLessThan(2 * 65_536 + 5_000);
  }, 30_000);
});
