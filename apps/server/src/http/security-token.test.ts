// The token: required beyond loopback, and when set every API call, /metrics and the socket need it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type RunningServer } from '../server.js';
import { cli } from '../cli.js';
import { tokenSetting } from '../main.js';
import { raw, socketOutcome } from '../test-utils/raw-http.js';

const TOKEN = 'a-long-enough-test-token-4f9c2e';
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'eddy-token-'));
  dirs.push(d);
  return d;
};
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

describe('with a token', () => {
  let s: RunningServer;
  let host: string;
  beforeAll(async () => {
    const dir = tempDir();
    s = await createServer({ host: '127.0.0.1', port: 0, dataDir: dir, webDir: join(dir, 'no-web'), token: TOKEN });
    host = `127.0.0.1:${s.port}`;
  });
  afterAll(async () => { await s.close(); });

  it('answers 401 without it or with a wrong one, 200 with Authorization: Bearer', async () => {
    const none = await raw(s.url, 'GET', '/api/pipelines', { host });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="eddy"');
    expect(none.body.error).toMatchObject({ code: 'unauthorized', message: expect.stringContaining('?token=') });
    expect((await raw(s.url, 'GET', '/api/pipelines', { host, authorization: 'Bearer wrong-token-of-some-length' })).status).toBe(401);
    expect((await raw(s.url, 'GET', '/api/pipelines', { host, authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await raw(s.url, 'GET', '/api/pipelines', { host, authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    // Writes and ingest too; a refused deploy changes nothing.
    const list = (await raw(s.url, 'GET', '/api/pipelines', { host, authorization: `Bearer ${TOKEN}` })).body.pipelines as { id: string }[];
    expect((await raw(s.url, 'POST', `/api/pipelines/${list[0].id}/deploy`, { host })).status).toBe(401);
    expect((await raw(s.url, 'POST', `/api/ingest/${list[0].id}/x`, { host, 'content-type': 'application/json' }, '{}')).status).toBe(401);
    expect((await raw(s.url, 'GET', `/api/pipelines/${list[0].id}/status`, { host, authorization: `Bearer ${TOKEN}` })).body.state).toBe('stopped');
  });

  it('keeps /api/health and the static app open, and puts /metrics behind the token', async () => {
    expect((await raw(s.url, 'GET', '/api/health', { host })).status).toBe(200);
    expect((await raw(s.url, 'GET', '/', { host })).status).toBe(200);
    expect((await raw(s.url, 'GET', '/metrics', { host })).status).toBe(401);
    expect((await raw(s.url, 'GET', '/metrics', { host, authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });

  it('turns ?token= into an HttpOnly SameSite=Strict cookie and redirects to the clean URL', async () => {
    const open = await raw(s.url, 'GET', `/?token=${encodeURIComponent(TOKEN)}&pipeline=p1`, { host });
    expect(open.status).toBe(303);
    expect(open.headers.location).toBe('/?pipeline=p1');
    const setCookie = String(open.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^eddy_token_${s.port}=`));
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = setCookie.split(';')[0];
    expect((await raw(s.url, 'GET', '/api/pipelines', { host, cookie })).status).toBe(200);
    expect((await raw(s.url, 'GET', '/api/pipelines', { host, cookie: `eddy_token_${s.port}=nope` })).status).toBe(401);

    const wrong = await raw(s.url, 'GET', '/?token=wrong', { host });
    expect(wrong).toMatchObject({ status: 303, headers: { location: '/' } });
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('sets the cookie from POST /api/session (the designer\'s token dialog)', async () => {
    const wrong = await raw(s.url, 'POST', '/api/session', { host, origin: `http://${host}`, 'content-type': 'application/json' }, '{"token":"wrong"}');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_token');
    const right = await raw(s.url, 'POST', '/api/session', { host, origin: `http://${host}`, 'content-type': 'application/json' }, JSON.stringify({ token: TOKEN }));
    expect(right.status).toBe(200);
    const cookie = String(right.headers['set-cookie']).split(';')[0];
    expect((await raw(s.url, 'GET', '/api/catalog', { host, cookie })).status).toBe(200);
    // A cross-site page cannot plant its own cookie through the dialog's endpoint.
    expect((await raw(s.url, 'POST', '/api/session', { host, 'content-type': 'text/plain' }, JSON.stringify({ token: TOKEN }))).status).toBe(415);
  });

  it('refuses a socket without the token and accepts one with the Bearer header or the cookie', async () => {
    const none = await socketOutcome(s.url);
    expect(none.outcome).toBe('refused');
    const wrong = await socketOutcome(s.url, { authorization: 'Bearer wrong-token-of-some-length' });
    expect(wrong.outcome).toBe('refused');
    for (const headers of [{ authorization: `Bearer ${TOKEN}` }, { cookie: `eddy_token_${s.port}=${encodeURIComponent(TOKEN)}` }]) {
      const ok = await socketOutcome(s.url, headers);
      expect(ok.outcome).toBe('connected');
      ok.socket.close();
    }
  });
});

describe('listening beyond loopback', () => {
  it('refuses to start without a token, saying how to give one', async () => {
    await expect(createServer({ host: '0.0.0.0', port: 0, dataDir: tempDir() })).rejects.toThrow(/beyond loopback, without a token.*EDDY_TOKEN.*--token/);
    await expect(createServer({ host: '0.0.0.0', port: 0, dataDir: tempDir(), token: 'short' })).rejects.toThrow(/too short.*at least 16/);
  });

  it('`eddy serve` with HOST=0.0.0.0 and no token exits 1 with the reason', async () => {
    const saved = { HOST: process.env.HOST, EDDY_TOKEN: process.env.EDDY_TOKEN, EDDY_DATA: process.env.EDDY_DATA };
    Object.assign(process.env, { HOST: '0.0.0.0', EDDY_DATA: tempDir() });
    delete process.env.EDDY_TOKEN;
    const err: string[] = [];
    try {
      expect(await cli(['serve'], { out: () => {}, err: (l) => err.push(l) })).toBe(1);
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
    expect(err.join('\n')).toMatch(/Eddy could not start: Eddy would listen on 0.0.0.0, beyond loopback, without a token/);
  });

  it('starts on every interface with a token, and still checks Host and token there', async () => {
    const dir = tempDir();
    const s = await createServer({ host: '0.0.0.0', port: 0, dataDir: dir, webDir: join(dir, 'no-web'), token: TOKEN });
    try {
      const url = `http://127.0.0.1:${s.port}`;
      expect((await raw(url, 'GET', '/api/pipelines', {})).status).toBe(401);
      expect((await raw(url, 'GET', '/api/pipelines', { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
      expect((await raw(url, 'GET', '/api/pipelines', { host: 'evil.example', authorization: `Bearer ${TOKEN}` })).status).toBe(403);
    } finally {
      await s.close();
    }
  });

  it('reads the token from --token, --token=, EDDY_TOKEN, and generates one on request', () => {
    expect(tokenSetting(['--token', 'abc'], {})).toEqual({ token: 'abc', generated: false });
    expect(tokenSetting(['--token=abc'], { EDDY_TOKEN: 'env' })).toEqual({ token: 'abc', generated: false });
    expect(tokenSetting([], { EDDY_TOKEN: 'env' })).toEqual({ token: 'env', generated: false });
    expect(tokenSetting([], {})).toEqual({ token: undefined, generated: false });
    const made = tokenSetting(['--token', 'generate'], {});
    expect(made.generated).toBe(true);
    expect(made.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(() => tokenSetting(['--token'], {})).toThrow(/--token needs a value/);
  });
});
