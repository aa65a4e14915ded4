// Attacks from a web page the user visits: DNS rebinding, cross-site forms and scripts, a
// foreign page's socket. Each is refused with a clear error and the server keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type RunningServer } from '../server.js';
import { startServer, viewsPerCountry, type TestServer } from '../test-utils/harness.js';
import { raw, socketOutcome } from '../test-utils/raw-http.js';
import { hostnameOf, isLoopback, sameOrigin } from './security.js';

let s: TestServer;
let id: string;
let host: string;
beforeAll(async () => {
  s = await startServer();
  host = `127.0.0.1:${s.port}`;
  id = (await s.api('/api/pipelines', { method: 'POST', json: viewsPerCountry() })).body.id;
});
afterAll(async () => { await s.destroy(); });

const state = async () => (await s.api(`/api/pipelines/${id}/status`)).body.state as string;

describe('the Host header must name the server (DNS rebinding)', () => {
  it('refuses a foreign Host with 403 forbidden_host, for reads and writes, and keeps serving', async () => {
    const read = await raw(s.url, 'GET', '/api/pipelines', { host: 'evil.example' });
    expect(read.status).toBe(403);
    expect(read.body.error).toMatchObject({ code: 'forbidden_host', message: expect.stringContaining("'evil.example'") });
    const write = await raw(s.url, 'POST', `/api/pipelines/${id}/deploy`, { host: `evil.example:${s.port}`, 'content-type': 'application/json' }, '{}');
    expect(write.status).toBe(403);
    expect((await raw(s.url, 'GET', '/metrics', { host: 'evil.example' })).status).toBe(403);
    expect((await raw(s.url, 'GET', '/', { host: 'evil.example' })).status).toBe(403);
    expect((await raw(s.url, 'GET', '/api/pipelines', { host: 'localhost@evil.example' })).status).toBe(403);
    expect(await state()).toBe('stopped');
    expect((await s.api('/api/pipelines')).status).toBe(200);
  });

  it('accepts loopback names and addresses', async () => {
    for (const h of [host, `localhost:${s.port}`, 'LOCALHOST', `127.9.9.9:${s.port}`, `[::1]:${s.port}`, 'app.localhost']) {
      expect((await raw(s.url, 'GET', '/api/pipelines', { host: h })).status, h).toBe(200);
    }
  });

  it('accepts the names in EDDY_ALLOWED_HOSTS (a name, a .domain with its subdomains)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eddy-hosts-'));
    const other: RunningServer = await createServer({ host: '127.0.0.1', port: 0, dataDir: dir, webDir: join(dir, 'no-web'), allowedHosts: ['eddy.example.com', '.corp.example'] });
    try {
      for (const [h, status] of [['eddy.example.com', 200], ['EDDY.example.com:443', 200], ['a.b.corp.example', 200], ['corp.example', 200],
        ['evil.example', 403], ['eddy.example.com.evil.example', 403], ['notcorp.example', 403]] as const) {
        expect((await raw(other.url, 'GET', '/api/pipelines', { host: h })).status, h).toBe(status);
      }
    } finally {
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('state-changing requests: same origin, JSON or no body', () => {
  it('refuses a foreign Origin with 403 forbidden_origin and deploys nothing', async () => {
    for (const origin of ['http://evil.example', `http://evil.example:${s.port}`, 'null', `https://127.0.0.1:${s.port}x`]) {
      const res = await raw(s.url, 'POST', `/api/pipelines/${id}/deploy`, { host, origin, 'content-type': 'application/json' }, '{}');
      expect(res.status, origin).toBe(403);
      expect(res.body.error.code).toBe('forbidden_origin');
    }
    const del = await raw(s.url, 'DELETE', `/api/pipelines/${id}`, { host, origin: 'http://evil.example' });
    expect(del.status).toBe(403);
    expect(await state()).toBe('stopped');
    expect((await s.api(`/api/pipelines/${id}`)).status).toBe(200);
  });

  it('refuses cross-site form posts (text/plain, urlencoded, multipart) to deploy, stop, savepoint and templates', async () => {
    const before = (await s.api('/api/pipelines')).body.pipelines.length;
    const forms = [
      ['text/plain', '{"fresh":true}'],
      ['application/x-www-form-urlencoded', 'fresh=true'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n'],
      ['text/plain', ''],
    ];
    for (const path of [`/api/pipelines/${id}/deploy`, `/api/pipelines/${id}/stop`, `/api/pipelines/${id}/savepoint`, '/api/templates/page-views']) {
      for (const [type, text] of forms) {
        const res = await raw(s.url, 'POST', path, { host, 'content-type': type }, text);
        expect(res.status, `${path} ${type}`).toBe(415);
        expect(res.body.error).toMatchObject({ code: 'unsupported_media_type', message: expect.stringContaining('application/json') });
      }
    }
    // A body without a Content-Type is refused too; ingest keeps its own JSON-only rule.
    expect((await raw(s.url, 'POST', `/api/pipelines/${id}/deploy`, { host }, '{}')).status).toBe(415);
    expect((await raw(s.url, 'POST', `/api/ingest/${id}/clicks`, { host, 'content-type': 'text/plain' }, '{"a":1}')).status).toBe(415);
    expect(await state()).toBe('stopped');
    expect((await s.api('/api/pipelines')).body.pipelines.length).toBe(before);
  });

  it('carries out same-origin JSON requests and body-less ones from non-browser clients', async () => {
    const deploy = await raw(s.url, 'POST', `/api/pipelines/${id}/deploy`, { host, origin: `http://${host}`, 'content-type': 'application/json; charset=utf-8' }, '{}');
    expect(deploy.status).toBe(200);
    expect(await state()).toBe('running');
    expect((await raw(s.url, 'POST', `/api/pipelines/${id}/stop`, { host, 'content-type': 'application/json' })).status).toBe(200);
    expect((await raw(s.url, 'POST', `/api/pipelines/${id}/stop`, { host })).status).toBe(200);
    expect(await state()).toBe('stopped');
  });

  it('sends headers that keep the designer out of foreign frames', async () => {
    const res = await raw(s.url, 'GET', '/api/health', { host });
    expect(res.headers).toMatchObject({ 'x-frame-options': 'DENY', 'content-security-policy': "frame-ancestors 'none'", 'x-content-type-options': 'nosniff' });
  });
});

describe('the socket.io handshake', () => {
  it('refuses a foreign Origin or Host, accepts its own origin and clients without one', async () => {
    const foreign = await socketOutcome(s.url, { origin: 'http://evil.example' });
    expect(foreign).toMatchObject({ outcome: 'refused' });
    const rebound = await socketOutcome(s.url, { host: 'evil.example' });
    expect(rebound.outcome).toBe('refused');
    for (const headers of [{ origin: `http://${host}` }, {}]) {
      const ok = await socketOutcome(s.url, headers);
      expect(ok.outcome).toBe('connected');
      ok.socket.close();
    }
  });
});

describe('the checks themselves', () => {
  it('parses Host headers strictly and knows loopback', () => {
    expect(hostnameOf('[::1]:8090')).toBe('::1');
    expect(hostnameOf('Example.COM.:80')).toBe('example.com');
    expect(hostnameOf('a@b')).toBeUndefined();
    expect(hostnameOf('a/b')).toBeUndefined();
    expect(hostnameOf(undefined)).toBeUndefined();
    expect(['localhost', '127.0.0.1', '127.255.0.3', '::1', '[::1]', 'x.localhost'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '10.0.0.1', 'localhost.evil.example', '::', '128.0.0.1'].some(isLoopback)).toBe(false);
  });

  it('compares origins as browsers do', () => {
    expect(sameOrigin(undefined, 'a:1')).toBe(true);
    expect(sameOrigin('http://a:1', 'a:1')).toBe(true);
    expect(sameOrigin('https://eddy.example.com', 'eddy.example.com')).toBe(true);
    expect(sameOrigin('http://a:80', 'a')).toBe(true);
    expect(sameOrigin('http://a:2', 'a:1')).toBe(false);
    expect(sameOrigin('null', 'a:1')).toBe(false);
    expect(sameOrigin('file://', 'a:1')).toBe(false);
  });
});
