// Shared pieces of the fuzz suite (apps/server/src/fuzz): the seed, the run quotas, a
// request that must answer in time, the shape every answer must have, and the end check
// that the server still serves and still runs a valid pipeline.
import { expect } from 'vitest';
import { eventually, type TestServer } from './harness.js';

/** One seed for every property; set EDDY_FUZZ_SEED to reproduce a failure printed by fast-check. */
export const FUZZ_SEED = Number(process.env.EDDY_FUZZ_SEED ?? 20_240_613);

/** Cases per file; the suite must throw at least MIN_FUZZ_CASES per run (issue 13). */
export const FUZZ_QUOTAS = { documents: 790, expressions: 800, rawBodies: 330, sockets: 320 } as const;
export const MIN_FUZZ_CASES = 2_000;

/** A property's time limit: generous, as a shared 2-core machine may run it slowly (a hang is caught per request). */
export const FUZZ_TEST_TIMEOUT_MS = 120_000;

/** fast-check settings for a property: the suite's seed, a fixed number of runs. */
export const runs = (numRuns: number) => ({ seed: FUZZ_SEED, numRuns });

export function announce(file: string): void {
  console.log(`[fuzz] ${file}: seed ${FUZZ_SEED} (reproduce with EDDY_FUZZ_SEED=${FUZZ_SEED})`);
}

/** Counts the cases a file actually ran, so its last test can assert its quota was met. */
export class CaseCounter {
  count = 0;
  tick(): void { this.count++; }
}

export const ANSWER_WITHIN_MS = 10_000;

export interface Answer { status: number; text: string; json: unknown; contentType: string }

/** A request that must be answered within ANSWER_WITHIN_MS: a hang fails the property. */
export async function request(server: TestServer, path: string, init: RequestInit = {}): Promise<Answer> {
  let res: Response;
  try {
    res = await fetch(server.url + path, { ...init, signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });
  } catch (err) {
    const e = err as Error;
    if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new Error(`${init.method ?? 'GET'} ${path} hung: no answer within ${ANSWER_WITHIN_MS} ms`);
    throw new Error(`${init.method ?? 'GET'} ${path} failed without an HTTP answer (server down?): ${e.message}`);
  }
  const text = await res.text();
  let json: unknown;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status: res.status, text, json, contentType: res.headers.get('content-type') ?? '' };
}

/** A JSON body as the designer would send it (any value JSON.stringify can write). */
export const postJson = (server: TestServer, path: string, body: unknown, method = 'POST') =>
  request(server, path, { method, headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

/** Every answer: no 5xx; an error answer is `{ error: { code, message } }` in JSON. */
export function expectWellFormed(answer: Answer, what: string): void {
  if (answer.status >= 500) throw new Error(`${what} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  if (answer.status >= 400) {
    const error = (answer.json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    if (typeof error?.code !== 'string' || typeof error.message !== 'string') {
      throw new Error(`${what} answered ${answer.status} without { error: { code, message } }: ${answer.text.slice(0, 300)}`);
    }
  }
}

/** POST /api/validate's contract: 200 with { ok, errors[] } (or a well-formed 4xx for a body it refuses). */
export function expectValidateAnswer(answer: Answer, what: string): { ok: boolean; errors: unknown[] } | undefined {
  expectWellFormed(answer, what);
  if (answer.status >= 400) return undefined;
  const body = answer.json as { ok?: unknown; errors?: unknown };
  if (answer.status !== 200 || typeof body?.ok !== 'boolean' || !Array.isArray(body.errors)) {
    throw new Error(`${what} answered ${answer.status} without { ok, errors }: ${answer.text.slice(0, 300)}`);
  }
  if (!body.ok && body.errors.length === 0) throw new Error(`${what}: ok false with no errors`);
  return { ok: body.ok, errors: body.errors };
}

/**
 * Errors nobody caught while the server ran in this process: under `npm start` each would have
 * killed the server (vitest keeps the process alive, so the suite must look for them itself).
 */
const crashes: unknown[] = [];
const recordCrash = (err: unknown) => { crashes.push(err); };
export function watchForCrashes(): () => void {
  process.on('uncaughtException', recordCrash);
  process.on('unhandledRejection', recordCrash);
  return () => {
    process.off('uncaughtException', recordCrash);
    process.off('unhandledRejection', recordCrash);
  };
}
export function expectNoCrash(): void {
  if (crashes.length === 0) return;
  const first = crashes[0] as Error;
  throw new Error(`${crashes.length} uncaught error(s) in the server process (each would stop \`npm start\`); the first: ${first?.stack ?? String(first)}`.slice(0, 2_000));
}

export async function expectHealthy(server: TestServer): Promise<void> {
  expectNoCrash();
  const health = await request(server, '/api/health');
  expect(health.status).toBe(200);
  expect(health.json).toMatchObject({ status: 'ok' });
}

/** A small bounded pipeline: generated clicks → filter → sink.live. */
export const smallValidPipeline = (name = 'Fuzz canary') => ({
  format: 'eddy/pipeline@1',
  name,
  nodes: [
    { id: 'clicks', kind: 'source.generator', params: { scenario: 'clickstream', ratePerSec: 0, limit: 300, seed: 7 } },
    { id: 'views', kind: 'filter', params: { where: "event_type = 'page_view' AND price >= 0" } },
    { id: 'live', kind: 'sink.live', params: { maxRows: 50 } },
  ],
  edges: [{ from: 'clicks', to: 'views' }, { from: 'views', to: 'live' }],
});

/** After the fuzzing: the server answers, and a valid pipeline deploys and produces rows. */
export async function expectStillServes(server: TestServer): Promise<void> {
  await expectHealthy(server);
  const created = await postJson(server, '/api/pipelines', smallValidPipeline());
  expect(created.status).toBe(201);
  const id = (created.json as { id: string }).id;
  const deployed = await postJson(server, `/api/pipelines/${id}/deploy`, {});
  expect(deployed.status).toBe(200);
  const rows = await eventually(async () => {
    const answer = await request(server, `/api/pipelines/${id}/nodes/live/rows`);
    const body = answer.json as { rows?: { event_type?: string }[] };
    return answer.status === 200 && (body.rows?.length ?? 0) > 0 && body.rows;
  }, 'rows from the canary pipeline');
  expect(rows.every((r) => r.event_type === 'page_view')).toBe(true);
  await postJson(server, `/api/pipelines/${id}/stop`, {});
  expect((await request(server, `/api/pipelines/${id}`, { method: 'DELETE' })).status).toBe(204);
  await expectHealthy(server);
}
