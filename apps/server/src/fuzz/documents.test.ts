// Fuzz: pipeline documents, arbitrary and mutated from the templates and golden pipelines,
// against POST /api/validate, POST /api/pipelines, PUT /api/pipelines/:id, GET and the
// Flink SQL export. Every answer is < 500 and well formed; validate and save agree.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { demoPipeline, TEMPLATES } from '@eddy/shared';
import { startServer, type TestServer } from '../test-utils/harness.js';
import {
  announce, CaseCounter, FUZZ_TEST_TIMEOUT_MS, watchForCrashes, expectHealthy, expectStillServes, expectValidateAnswer, expectWellFormed, FUZZ_QUOTAS,
  postJson, request, runs, smallValidPipeline,
} from '../test-utils/fuzz-kit.js';
import { deepNesting, duration, extremeNumber, setOwn, text, weirdKey, weirdValue, type Json } from '../test-utils/fuzz-values.js';

const goldenDir = fileURLToPath(new URL('../../../../packages/runtime/src/golden/', import.meta.url));
const goldens = readdirSync(goldenDir, { withFileTypes: true }).filter((d) => d.isDirectory())
  .map((d) => JSON.parse(readFileSync(`${goldenDir}${d.name}/pipeline.json`, 'utf8')) as Json);
// Templates without their recorded test cases (hundreds of records would take most mutations and
// most of the time); the demo carries a small case, so the tests section is mutated too.
const withoutCases = (doc: object) => { const { tests: _cases, ...rest } = doc as { tests?: unknown }; return rest as unknown as Json; };
const smallCase = { name: 'tiny', inputs: { clicks: [{ country: 'DE', event_type: 'page_view', ts: 1 }] }, expected: { live: [] } };
const bases: Json[] = [...TEMPLATES.map((t) => withoutCases(t.document())), { ...demoPipeline(), tests: [smallCase] } as unknown as Json, ...goldens];

/** Every object and array in a document, params first-class (most mutations should land in params). */
function containers(doc: Json, inParamsOnly: boolean): Json[] {
  const out: Json[] = [];
  const walk = (v: Json, underParams: boolean) => {
    if (v === null || typeof v !== 'object') return;
    if (!inParamsOnly || underParams) out.push(v);
    for (const [k, child] of Object.entries(v)) walk(child as Json, underParams || k === 'params');
  };
  walk(doc, false);
  return out;
}

// 'same' keeps a leaf's JSON type (an extreme number for a number, odd text for a string), so
// many mutants stay valid and reach the save, GET and export paths too.
type Mutation = {
  inParams: boolean; target: number; key: { existing: number } | { name: string }; op: 'set' | 'same' | 'delete';
  value: Json; sameNumber: number; sameString: string;
};
const mutation: fc.Arbitrary<Mutation> = fc.record({
  inParams: fc.boolean(),
  target: fc.nat(),
  key: fc.oneof(fc.record({ existing: fc.nat() }), fc.record({ name: weirdKey })),
  op: fc.constantFrom('set', 'set', 'same', 'same', 'same', 'delete'),
  value: weirdValue,
  sameNumber: extremeNumber,
  sameString: fc.oneof(duration, text),
});

/** Applies mutations to a copy; deep nesting is spliced into the JSON text (the client's stringify would overflow). */
function mutate(base: Json, mutations: Mutation[]): string {
  const doc = structuredClone(base);
  const deep: string[] = [];
  for (const m of mutations) {
    const pool = containers(doc, m.inParams);
    const target = (pool.length ? pool : containers(doc, false))[m.target % (pool.length || 1)];
    if (target === null || typeof target !== 'object') continue;
    const keys = Object.keys(target);
    const key = 'existing' in m.key ? (keys.length ? keys[m.key.existing % keys.length] : '0') : m.key.name;
    if (m.op === 'delete') {
      if (Array.isArray(target)) target.splice(Number(key) || 0, 1);
      else delete (target as Record<string, Json>)[key];
      continue;
    }
    let value = m.value;
    if (m.op === 'same') {
      const old = (target as Record<string, Json>)[key];
      if (typeof old === 'number') value = m.sameNumber;
      else if (typeof old === 'string') value = m.sameString;
      else if (typeof old === 'boolean') value = !old;
      else continue;
    }
    if (typeof value === 'object' && value !== null && '$deep' in value) {
      deep.push(deepNesting(value.$deep as { depth: number; shape: 'array' | 'object' }));
      value = `\u0000deep${deep.length - 1}\u0000`;
    }
    if (Array.isArray(target)) target[Number(key) || 0] = value;
    else setOwn(target as Record<string, Json>, key, value);
  }
  return JSON.stringify(doc).replace(/"\\u0000deep(\d+)\\u0000"/g, (_, i: string) => deep[Number(i)]);
}

let server: TestServer;
let stopWatching: (() => void) | undefined;
let putTarget: string;
const counter = new CaseCounter();

beforeAll(async () => {
  announce('documents');
  stopWatching = watchForCrashes();
  server = await startServer();
  const created = await postJson(server, '/api/pipelines', smallValidPipeline('PUT target'));
  putTarget = (created.json as { id: string }).id;
});
afterAll(async () => {
  stopWatching?.();
  await server?.destroy();
});

/** validate, then save (POST or PUT) the same text: both answers well formed, and they agree. */
async function throwDocument(text: string, save: 'post' | 'put'): Promise<void> {
  const verdict = expectValidateAnswer(await postJson(server, '/api/validate', text), 'POST /api/validate');
  const saved = save === 'post'
    ? await postJson(server, '/api/pipelines', text)
    : await postJson(server, `/api/pipelines/${putTarget}`, text, 'PUT');
  expectWellFormed(saved, `${save.toUpperCase()} a pipeline`);
  if (verdict) {
    const accepted = saved.status === 201 || saved.status === 200;
    if (verdict.ok !== accepted) {
      throw new Error(`validate said ok=${verdict.ok} but ${save.toUpperCase()} answered ${saved.status}: ${saved.text.slice(0, 300)}`);
    }
    if (!verdict.ok) expect((saved.json as { error: { code: string } }).error.code).toBe('invalid_pipeline');
  }
  if (saved.status === 201) {
    const id = (saved.json as { id: string }).id;
    expectWellFormed(await request(server, `/api/pipelines/${id}`), 'GET the saved pipeline');
    expectWellFormed(await request(server, `/api/pipelines/${id}/export?format=flink-sql`), 'the Flink SQL export');
    expect((await request(server, `/api/pipelines/${id}`, { method: 'DELETE' })).status).toBe(204);
  }
}

describe('fuzz: pipeline documents', () => {
  it('arbitrary JSON values are answered, never with a 5xx', async () => {
    await fc.assert(fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), fc.constantFrom('post' as const, 'put' as const), async (value, save) => {
      counter.tick();
      await throwDocument(JSON.stringify(value) ?? 'null', save);
    }), runs(150));
    await expectHealthy(server);
  }, FUZZ_TEST_TIMEOUT_MS);

  it('documents with arbitrary envelopes and node lists are answered, never with a 5xx', async () => {
    const node = fc.record({ id: fc.oneof(fc.string(), weirdKey), kind: fc.oneof(fc.string(), fc.constantFrom('filter', 'map', 'window', 'sink.live', 'source.generator')), params: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.object()) }, { requiredKeys: [] });
    const doc = fc.record({
      format: fc.oneof(fc.constant('eddy/pipeline@1'), fc.string(), fc.jsonValue({ maxDepth: 1 })),
      name: fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 1 })),
      nodes: fc.oneof(fc.array(node, { maxLength: 6 }), fc.jsonValue({ maxDepth: 2 })),
      edges: fc.oneof(fc.array(fc.record({ from: fc.string(), to: fc.string(), fromPort: fc.string() }, { requiredKeys: [] }), { maxLength: 6 }), fc.jsonValue({ maxDepth: 2 })),
      settings: fc.oneof(fc.object(), fc.jsonValue({ maxDepth: 2 })),
    }, { requiredKeys: ['format'] });
    await fc.assert(fc.asyncProperty(doc, fc.constantFrom('post' as const, 'put' as const), async (value, save) => {
      counter.tick();
      await throwDocument(JSON.stringify(value), save);
    }), runs(150));
    await expectHealthy(server);
  }, FUZZ_TEST_TIMEOUT_MS);

  it('templates and golden pipelines with mutated params are answered, never with a 5xx', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...bases), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.constantFrom('post' as const, 'put' as const),
      async (base, mutations, save) => {
        counter.tick();
        await throwDocument(mutate(base, mutations), save);
      }), runs(450));
    await expectHealthy(server);
  }, FUZZ_TEST_TIMEOUT_MS);

  it('mutated documents that save also deploy and stop, never with a 5xx, and the server stays healthy', async () => {
    let deployed = 0;
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...bases), fc.array(mutation, { minLength: 1, maxLength: 3 }),
      async (base, mutations) => {
        counter.tick();
        // Type-keeping mutations only: most mutants stay valid, so they reach the engine.
        const saved = await postJson(server, '/api/pipelines', mutate(base, mutations.map((m) => ({ ...m, op: 'same' as const }))));
        expectWellFormed(saved, 'POST a pipeline');
        if (saved.status !== 201) return;
        const id = (saved.json as { id: string }).id;
        const deploy = await postJson(server, `/api/pipelines/${id}/deploy`, {});
        expectWellFormed(deploy, 'deploy a mutated pipeline');
        if (deploy.status === 200) deployed++;
        await expectHealthy(server);
        expectWellFormed(await request(server, `/api/pipelines/${id}/metrics`), 'metrics of a mutated pipeline');
        expectWellFormed(await postJson(server, `/api/pipelines/${id}/stop`, {}), 'stop a mutated pipeline');
        expect((await request(server, `/api/pipelines/${id}`, { method: 'DELETE' })).status).toBe(204);
      }), runs(40));
    expect(deployed).toBeGreaterThan(0);
    await expectHealthy(server);
  }, FUZZ_TEST_TIMEOUT_MS);

  it('afterwards the server still serves and runs a valid pipeline', async () => {
    await expectStillServes(server);
  });

  it(`ran at least ${FUZZ_QUOTAS.documents} cases`, () => {
    expect(counter.count).toBeGreaterThanOrEqual(FUZZ_QUOTAS.documents);
  });
});
