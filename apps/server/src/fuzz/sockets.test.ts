// Fuzz: a real socket.io client emits random events and payloads (garbage subscriptions, huge
// and nested payloads, binary, raw malformed packets) at a server running a pipeline. After
// each case the socket side still answers a valid subscribe; the HTTP side stays up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { io as connect, type Socket } from 'socket.io-client';
import { startServer, type TestServer } from '../test-utils/harness.js';
import { announce, CaseCounter, FUZZ_TEST_TIMEOUT_MS, watchForCrashes, expectHealthy, expectStillServes, FUZZ_QUOTAS, postJson, request, runs, smallValidPipeline } from '../test-utils/fuzz-kit.js';
import { deepNesting, weirdKey } from '../test-utils/fuzz-values.js';

// socket.io-client refuses to emit these names itself; the raw-packet cases send them anyway.
const CLIENT_RESERVED = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);
const ANSWER_WITHIN_MS = 10_000;

let server: TestServer;
let stopWatching: (() => void) | undefined;
let runningId: string; // a running pipeline: its id and edges appear in the garbage
let probeId: string; // a stopped pipeline whose id never appears in the garbage: the liveness probe
const counter = new CaseCounter();

beforeAll(async () => {
  announce('sockets');
  stopWatching = watchForCrashes();
  server = await startServer();
  const running = smallValidPipeline('Socket fuzz target');
  running.nodes[0].params = { scenario: 'clickstream', ratePerSec: 200, seed: 3 } as never;
  runningId = ((await postJson(server, '/api/pipelines', running)).json as { id: string }).id;
  expect((await postJson(server, `/api/pipelines/${runningId}/deploy`, {})).status).toBe(200);
  probeId = ((await postJson(server, '/api/pipelines', smallValidPipeline('Socket probe'))).json as { id: string }).id;
});
afterAll(async () => {
  stopWatching?.();
  fuzzSocket?.close();
  await server?.destroy();
});

const open = (): Promise<Socket> => new Promise((resolve, reject) => {
  const socket = connect(server.url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: ANSWER_WITHIN_MS });
  socket.once('connect', () => resolve(socket));
  socket.once('connect_error', (err) => reject(new Error(`socket.io handshake failed (server down?): ${err.message}`)));
});

/** A valid subscribe to the probe pipeline on `socket`: its status comes back, or the server closed this connection. */
const probe = (socket: Socket): Promise<'answered' | 'disconnected'> => new Promise((resolve, reject) => {
  const done = (outcome: 'answered' | 'disconnected' | Error) => {
    clearTimeout(timer);
    socket.off('status', onStatus);
    socket.off('disconnect', onDisconnect);
    if (outcome instanceof Error) reject(outcome); else resolve(outcome);
  };
  const onStatus = (s: { pipelineId?: string }) => { if (s?.pipelineId === probeId) done('answered'); };
  const onDisconnect = () => done('disconnected');
  const timer = setTimeout(() => done(new Error(`no status for a valid subscribe within ${ANSWER_WITHIN_MS} ms`)), ANSWER_WITHIN_MS);
  socket.on('status', onStatus);
  socket.on('disconnect', onDisconnect);
  if (!socket.connected) done('disconnected');
  else socket.emit('subscribe', { pipelineId: probeId });
});

const eventName = fc.oneof(
  fc.constantFrom('subscribe', 'unsubscribe', 'watchEdge', 'unwatchEdge', 'watchRows', 'unwatchRows', 'subscribe', 'watchEdge', 'watchRows',
    'error', 'message', 'rows', 'status', 'metrics', 'sample', 'deadLetter', '__proto__', 'constructor', 'toString', 'hasOwnProperty', ''),
  fc.string({ unit: 'binary', maxLength: 20 }),
).filter((name) => !CLIENT_RESERVED.has(name));

const edge = fc.oneof(fc.constantFrom('clicks:out', 'views:out', 'live:in', 'clicks:', ':out', 'clicks:out:x', 'nope:out', '__proto__:out', 'clicks:__proto__'),
  fc.string({ maxLength: 30 }));
const nodeId = fc.oneof(fc.constantFrom('live', 'clicks', 'views', 'nope', '__proto__', 'constructor', 'live:in', '', 'x'.repeat(65)),
  fc.string({ maxLength: 30 }), fc.jsonValue({ maxDepth: 1 }));
const pipelineId = fc.oneof(fc.constant('RUNNING'), weirdKey, fc.string({ maxLength: 30 }), fc.jsonValue({ maxDepth: 1 }));

/** A payload as a descriptor (printed short), made into a value in the property. */
const payload = fc.oneof(
  { arbitrary: fc.record({ pipelineId, edge, nodeId }, { requiredKeys: [] }).map((value) => ({ kind: 'subscription' as const, value })), weight: 4 },
  { arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => ({ kind: 'json' as const, value })), weight: 3 },
  { arbitrary: fc.integer({ min: 100, max: 1_500 }).map((depth) => ({ kind: 'deep' as const, depth })), weight: 1 },
  { arbitrary: fc.constantFrom(100_000, 900_000, 1_100_000, 3_000_000).map((bytes) => ({ kind: 'huge' as const, bytes })), weight: 1 },
  { arbitrary: fc.uint8Array({ maxLength: 500 }).map((bytes) => ({ kind: 'binary' as const, bytes })), weight: 1 },
);
type Payload = typeof payload extends fc.Arbitrary<infer T> ? T : never;

function payloadValue(p: Payload): unknown {
  switch (p.kind) {
    case 'subscription': return p.value.pipelineId === 'RUNNING' ? { ...p.value, pipelineId: runningId } : p.value;
    case 'json': return p.value;
    case 'deep': return JSON.parse(deepNesting({ depth: p.depth, shape: 'object' }));
    case 'huge': return { pipelineId: runningId, pad: 'x'.repeat(p.bytes) };
    case 'binary': return Buffer.from(p.bytes);
  }
}

/** Raw socket.io packets (engine.io message payloads), bypassing the client's encoder. */
const rawPacket = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ maxLength: 40 }).map((s) => `4${s}`),
  fc.tuple(fc.constantFrom(...CLIENT_RESERVED, 'subscribe', 'watchEdge', 'watchRows', 'unwatchRows'), fc.jsonValue({ maxDepth: 2 })).map(([name, arg]) => `42${JSON.stringify([name, arg])}`),
  fc.constantFrom('42', '42[', '42[]', '42[1]', '42[null]', '42{}', '42"x"', '451-["subscribe",{"_placeholder":true,"num":0}]',
    '451-["subscribe",{"_placeholder":true,"num":99}]', '43', '40', '41', '49', '4/nsp,', '40/admin,', '42/nope,["subscribe"]', '420["subscribe"]',
    '42999999999999999999999["subscribe",{}]'),
  fc.integer({ min: 1_000, max: 50_000 }).map((depth) => `42["subscribe",${deepNesting({ depth, shape: 'array' })}]`),
);

let fuzzSocket: Socket | undefined;
const fuzzSocketOpen = async (): Promise<Socket> => {
  if (!fuzzSocket?.connected) {
    fuzzSocket?.close();
    fuzzSocket = await open();
  }
  return fuzzSocket;
};

/**
 * After a case the socket side answers: on the fuzzed socket if the server kept it (a huge or
 * malformed packet may close it, as socket.io does), else on a new connection.
 */
async function stillAnswers(): Promise<void> {
  if ((await probe(await fuzzSocketOpen())) === 'answered') return;
  if ((await probe(await fuzzSocketOpen())) === 'answered') return;
  throw new Error('the server closed a fresh connection that sent only a valid subscribe');
}

describe('fuzz: socket events', () => {
  it('random events with random payloads leave the socket server answering', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.record({ name: eventName, args: fc.array(payload, { maxLength: 3 }) }), { minLength: 1, maxLength: 5 }),
      async (emits) => {
        counter.tick();
        const socket = await fuzzSocketOpen();
        for (const { name, args } of emits) socket.emit(name, ...args.map(payloadValue));
        await stillAnswers();
      }), runs(240));
    await expectHealthy(server);
  }, FUZZ_TEST_TIMEOUT_MS);

  it('raw malformed packets leave the socket server answering', async () => {
    await fc.assert(fc.asyncProperty(fc.array(rawPacket, { minLength: 1, maxLength: 3 }), async (packets) => {
      counter.tick();
      const socket = await fuzzSocketOpen();
      const engine = socket.io.engine as unknown as { send(data: string): void };
      for (const packet of packets) engine.send(packet);
      await stillAnswers();
    }), runs(80));
    await expectHealthy(server);
  }, FUZZ_TEST_TIMEOUT_MS);

  it('afterwards the watched pipeline still runs and the server runs a valid pipeline', async () => {
    const status = await request(server, `/api/pipelines/${runningId}/status`);
    expect(status).toMatchObject({ status: 200, json: { state: 'running' } });
    await expectStillServes(server);
  });

  it(`ran at least ${FUZZ_QUOTAS.sockets} cases`, () => {
    expect(counter.count).toBeGreaterThanOrEqual(FUZZ_QUOTAS.sockets);
  });
});
