// Fuzz: raw request bodies (random bytes, truncated and almost-JSON, wrong content types and
// encodings, compressed and plain bodies over the limit) and random /api paths. Every answer
// comes within 10 s, is < 500 and, as an error, `{ error: { code, message } }`.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TEMPLATES } from '@eddy/shared';
import { startServer, type TestServer } from '../test-utils/harness.js';
import {
  announce, ANSWER_WITHIN_MS, CaseCounter, FUZZ_TEST_TIMEOUT_MS, watchForCrashes, expectHealthy, expectNoCrash, expectStillServes, expectWellFormed, FUZZ_QUOTAS, postJson, request, runs, smallValidPipeline,
} from '../test-utils/fuzz-kit.js';
import { deepNesting } from '../test-utils/fuzz-values.js';

const ingestPipeline = {
  format: 'eddy/pipeline@1', name: 'Ingest fuzz',
  nodes: [
    { id: 'in', kind: 'source.http', params: { fields: [{ name: 'user', type: 'string' }, { name: 'amount', type: 'number' }] } },
    { id: 'big', kind: 'filter', params: { where: 'amount > 10' } },
    { id: 'live', kind: 'sink.live', params: { maxRows: 20 } },
  ],
  edges: [{ from: 'in', to: 'big' }, { from: 'big', to: 'live' }],
};
const validTexts = [JSON.stringify(smallValidPipeline()), JSON.stringify(TEMPLATES[0].document()), JSON.stringify([{ user: 'a', amount: 50 }])];

/** A body as a descriptor (printed short on failure), made into bytes in the property. */
type BodySpec =
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'text'; text: string }
  | { kind: 'truncated'; base: number; cut: number }
  | { kind: 'almostJson'; base: number; junk: string; at: 'prefix' | 'suffix' }
  | { kind: 'json'; value: unknown }
  | { kind: 'oversized'; bytes: number; gzip: boolean }
  | { kind: 'empty' };

const bodySpec: fc.Arbitrary<BodySpec> = fc.oneof(
  fc.record({ kind: fc.constant('bytes' as const), bytes: fc.uint8Array({ maxLength: 2_000 }) }),
  fc.record({ kind: fc.constant('text' as const), text: fc.string({ unit: 'binary', maxLength: 200 }) }),
  fc.record({ kind: fc.constant('truncated' as const), base: fc.nat({ max: validTexts.length - 1 }), cut: fc.nat() }),
  fc.record({
    kind: fc.constant('almostJson' as const), base: fc.nat({ max: validTexts.length - 1 }), at: fc.constantFrom('prefix' as const, 'suffix' as const),
    junk: fc.oneof(fc.constantFrom('\uFEFF', ',', '}', ']', '//', '/* */', 'NaN', '\u0000', ' x', '\n{}', '{"a":1}'), fc.string({ maxLength: 5 })),
  }),
  fc.record({ kind: fc.constant('json' as const), value: fc.jsonValue({ maxDepth: 4 }) }),
  fc.record({ kind: fc.constant('oversized' as const), bytes: fc.constantFrom(1_048_577, 3_000_000, 16_777_217), gzip: fc.boolean() }),
  fc.constant({ kind: 'empty' as const }),
);

/** Records padded to about `size` bytes: valid JSON, so only its size can be refused. */
const paddedRecords = (size: number) => {
  const record = JSON.stringify({ user: 'u', amount: 11, pad: 'x'.repeat(1_000) });
  return `[${Array.from({ length: Math.ceil(size / (record.length + 1)) }, () => record).join(',')}]`;
};

function bodyBytes(spec: BodySpec): Uint8Array | string | undefined {
  switch (spec.kind) {
    case 'bytes': return spec.bytes;
    case 'text': return spec.text;
    case 'truncated': { const t = validTexts[spec.base]; return t.slice(0, spec.cut % t.length); }
    case 'almostJson': return spec.at === 'prefix' ? spec.junk + validTexts[spec.base] : validTexts[spec.base] + spec.junk;
    case 'json': return JSON.stringify(spec.value) ?? 'null';
    case 'oversized': return spec.gzip ? gzipSync(paddedRecords(spec.bytes)) : paddedRecords(spec.bytes);
    case 'empty': return undefined;
  }
}

// Mostly JSON, so the parsers and handlers see the bodies, not only the media-type check.
const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 4 },
  { arbitrary: fc.constant(undefined), weight: 1 },
  { arbitrary: fc.constantFrom('application/json; charset=utf-8', 'application/json; charset=latin1', 'application/json; charset=utf-16',
    'application/json; charset=bogus', 'text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
    'application/vnd.api+json', 'application/*', '*/*', 'application/json, text/plain', 'json', '', ';;;', 'application/json; a'), weight: 3 },
);
const contentEncoding = fc.option(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'bogus', 'gzip, gzip'), { nil: undefined, freq: 8 });

type Target = 'create' | 'validate' | 'replace' | 'ingest' | 'ingestUnknownPipeline' | 'ingestUnknownNode' | 'restore' | 'deployStopped' | 'template';
const target = fc.constantFrom<Target>('create', 'validate', 'replace', 'ingest', 'ingest', 'ingestUnknownPipeline', 'ingestUnknownNode', 'restore', 'deployStopped', 'template');

let server: TestServer;
let stopWatching: (() => void) | undefined;
let putTarget: string;
let ingestId: string;
const counter = new CaseCounter();

beforeAll(async () => {
  announce('raw-bodies');
  stopWatching = watchForCrashes();
  server = await startServer();
  putTarget = ((await postJson(server, '/api/pipelines', smallValidPipeline('PUT target'))).json as { id: string }).id;
  ingestId = ((await postJson(server, '/api/pipelines', ingestPipeline)).json as { id: string }).id;
  expect((await postJson(server, `/api/pipelines/${ingestId}/deploy`, {})).status).toBe(200);
});
afterAll(async () => {
  stopWatching?.();
  await server?.destroy();
});

const route = (t: Target): { method: string; path: string } => ({
  create: { method: 'POST', path: '/api/pipelines' },
  validate: { method: 'POST', path: '/api/validate' },
  replace: { method: 'PUT', path: `/api/pipelines/${putTarget}` },
  ingest: { method: 'POST', path: `/api/ingest/${ingestId}/in` },
  ingestUnknownPipeline: { method: 'POST', path: '/api/ingest/no-such-pipeline/in' },
  ingestUnknownNode: { method: 'POST', path: `/api/ingest/${ingestId}/live` },
  restore: { method: 'POST', path: `/api/pipelines/${putTarget}/restore` },
  deployStopped: { method: 'POST', path: '/api/pipelines/no-such-pipeline/deploy' },
  template: { method: 'POST', path: '/api/templates/no-such-template' },
})[t];

describe('fuzz: raw bodies', () => {
  it('random, truncated, mistyped, misencoded and oversized bodies answer < 500 within 10 s', async () => {
    await fc.assert(fc.asyncProperty(target, bodySpec, contentType, contentEncoding, async (t, spec, type, encoding) => {
      counter.tick();
      const { method, path } = route(t);
      const headers: Record<string, string> = {};
      if (type !== undefined) headers['content-type'] = type;
      if (encoding !== undefined) headers['content-encoding'] = encoding;
      else if (spec.kind === 'oversized' && spec.gzip) headers['content-encoding'] = 'gzip';
      const answer = await request(server, path, { method, headers, body: bodyBytes(spec) });
      expectWellFormed(answer, `${method} ${path} with ${spec.kind} body (${type ?? 'no type'}, ${encoding ?? 'no encoding'})`);
      // Over the limit (1 MB for documents, 16 MB for ingest batches) nothing is accepted.
      if (spec.kind === 'oversized' && (spec.bytes > 16_777_216 || !t.startsWith('ingest'))) expect(answer.status).toBeGreaterThanOrEqual(400);
      if (answer.status === 201) await request(server, `/api/pipelines/${(answer.json as { id: string }).id}`, { method: 'DELETE' });
    }), runs(260));
    await expectHealthy(server);
  }, FUZZ_TEST_TIMEOUT_MS);

  it('ingest records nested thousands deep are refused or dead-lettered, and the server stays up', async () => {
    // Records the pipeline has dealt with: rows reaching the live sink plus dead letters.
    const handled = async () => {
      const rows = (await request(server, `/api/pipelines/${ingestId}/nodes/live/rows`)).json as { total?: number };
      const dead = (await request(server, `/api/pipelines/${ingestId}/dead-letters`)).json as { total?: number };
      return (rows?.total ?? 0) + (dead?.total ?? 0);
    };
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1_000, max: 20_000 }), fc.constantFrom('array' as const, 'object' as const), async (depth, shape) => {
      counter.tick();
      const before = await handled();
      const body = `[{"user":"deep","amount":50,"nested":${deepNesting({ depth, shape })}}]`;
      const answer = await request(server, `/api/ingest/${ingestId}/in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expectWellFormed(answer, `ingest of a record nested ${depth} deep`);
      // Accepted: wait until the record came out as a row or a dead letter; a crash on the way fails at once, with its stack.
      const deadline = Date.now() + ANSWER_WITHIN_MS;
      while (answer.status === 202 && (await handled()) <= before) {
        expectNoCrash();
        if (Date.now() > deadline) throw new Error(`the record nested ${depth} deep was accepted but neither became a row nor a dead letter`);
        await new Promise((r) => setTimeout(r, 50));
      }
      await expectHealthy(server);
    }), runs(20));
  }, FUZZ_TEST_TIMEOUT_MS);

  it('random /api paths and methods answer < 500 within 10 s', async () => {
    const segment = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }).map(encodeURIComponent),
      fc.constantFrom('%', '%E0%A4%A', '%00', '..', '%2e%2e', '__proto__', 'constructor', 'pipelines', 'nodes', 'rows', 'state', 'export', 'deploy', 'stop',
        'plan', 'checkpoints', 'metrics', 'dead-letters', 'status', 'savepoint', 'ingest', 'templates', 'catalog', 'validate', 'health'));
    const query = fc.option(fc.constantFrom('?format=flink-sql', '?format=%', '?limit=-1', '?limit=1e999', '?key=%00', '?revision=abc', '?a[b]=1&a[c]=2', '?__proto__[x]=1'), { nil: '' });
    await fc.assert(fc.asyncProperty(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'), fc.array(segment, { minLength: 1, maxLength: 5 }), query,
      fc.boolean(), async (method, segments, q, onIngest) => {
        counter.tick();
        // Under the ingest pipeline's own path too (never DELETE: later properties need it).
        const prefix = onIngest && method !== 'DELETE' ? `/api/pipelines/${ingestId}/` : '/api/';
        const path = `${prefix}${segments.join('/')}${q}`;
        const answer = await request(server, path, { method, ...(method !== 'GET' && { headers: { 'content-type': 'application/json' }, body: '{}' }) });
        // fetch resolves `..` itself: a path that leaves /api gets the web app's answer, not the API's JSON.
        if (new URL(path, server.url).pathname.startsWith('/api/')) expectWellFormed(answer, `${method} ${path}`);
        else expect(answer.status).toBeLessThan(500);
      }), runs(50));
    await expectHealthy(server);
  }, FUZZ_TEST_TIMEOUT_MS);

  it('afterwards the ingest pipeline still takes records and the server runs a valid pipeline', async () => {
    // The random paths may have stopped it (POST …/stop): deploy resumes it.
    expect((await postJson(server, `/api/pipelines/${ingestId}/deploy`, {})).status).toBe(200);
    const answer = await postJson(server, `/api/ingest/${ingestId}/in`, [{ user: 'canary', amount: 99 }]);
    expect(answer.status).toBe(202);
    await expectStillServes(server);
  });

  it(`ran at least ${FUZZ_QUOTAS.rawBodies} cases`, () => {
    expect(counter.count).toBeGreaterThanOrEqual(FUZZ_QUOTAS.rawBodies);
  });
});
