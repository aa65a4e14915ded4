import { chmodSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startServer, type TestServer } from '../test-utils/harness.js';

let s: TestServer;
const password = `pw-${randomBytes(8).toString('hex')}`;
const token = `tok-${randomBytes(8).toString('hex')}`;
beforeAll(async () => {
  s = await startServer();
  const file = join(s.dataDir, 'secrets.json');
  writeFileSync(file, JSON.stringify({ PG_URL: `postgres://eddy:${password}@127.0.0.1:1/shop`, HOOK: `http://127.0.0.1:1/hooks/${token}` }));
  chmodSync(file, 0o600);
});
afterAll(async () => { await s.destroy(); });

const toSink = (sink: object) => ({
  format: 'eddy/pipeline@1', name: 'secrets', settings: { guarantee: 'at-least-once', restart: { strategy: 'none' } },
  nodes: [{ id: 'gen', kind: 'source.generator', params: { scenario: 'iot', limit: 3, ratePerSec: 0 } }, { id: 'out', ...sink }],
  edges: [{ from: 'gen', to: 'out' }],
});
const pg = (url: unknown) => toSink({ kind: 'sink.postgres', params: { url, table: 'eddy_secret_test' } });

describe('secrets (server)', () => {
  it('a password inside a URL is refused at validate, create and replace, with the way to use a secret', async () => {
    const doc = pg(`postgres://eddy:${password}@db/shop`);
    const v = await s.api('/api/validate', { method: 'POST', json: doc });
    expect(v.body.ok).toBe(false);
    expect(v.body.errors).toEqual([expect.objectContaining({ code: 'credentials_in_url', nodeId: 'out', path: 'nodes[1].params.url' })]);
    expect(v.body.errors[0].message).toContain('{ "secret": "OUT_URL" }');
    const created = await s.api('/api/pipelines', { method: 'POST', json: doc });
    expect(created.status).toBe(400);
    expect(JSON.stringify(created.body)).not.toContain(password);
  });

  it('a secret reference: GET, the JSON export and the Flink SQL export never hold the value', async () => {
    const created = await s.api('/api/pipelines', { method: 'POST', json: pg({ secret: 'PG_URL' }) });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const texts = await Promise.all([
      s.api(`/api/pipelines/${id}`), s.api(`/api/pipelines/${id}/export?format=json`), s.api(`/api/pipelines/${id}/export?format=flink-sql`),
    ]);
    for (const r of texts) {
      expect(r.status).toBe(200);
      expect(JSON.stringify(r.body)).not.toContain(password);
    }
    expect(texts[2].body).toContain('${secret:PG_URL}');
    // Deployed against a closed port: the failure names the node, never the password.
    await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST' });
    const status = await eventually(async () => {
      const st = (await s.api(`/api/pipelines/${id}/status`)).body;
      return st.state === 'failed' && st;
    }, 'the job to fail');
    expect(status.error).toContain("sink.postgres 'out'");
    expect(JSON.stringify(status)).not.toContain(password);
  });

  it('{ "secret": "PATH" } is refused at validate and deploy; no environment variable is read', async () => {
    const doc = toSink({ kind: 'sink.webhook', params: { url: { secret: 'PATH' } } });
    const v = await s.api('/api/validate', { method: 'POST', json: doc });
    expect(v.body.errors).toEqual([expect.objectContaining({ code: 'unknown_secret', nodeId: 'out', path: 'nodes[1].params.url' })]);
    expect(v.body.errors[0].message).toContain('EDDY_SECRET_PATH');
    expect(v.body.errors[0].message).toContain('secrets.json');
    const created = await s.api('/api/pipelines', { method: 'POST', json: doc });
    expect(created.status).toBe(201); // saved: the operator may give the secret later
    const deployed = await s.api(`/api/pipelines/${created.body.id}/deploy`, { method: 'POST' });
    expect(deployed.status).toBe(400);
    expect(deployed.body.error.details.errors[0].code).toBe('unknown_secret');
    expect(JSON.stringify(deployed.body)).not.toContain(process.env.PATH!);
    expect((await s.api('/api/health')).body.status).toBe('ok');
  });

  it('a failing webhook whose URL is a secret: dead letters through the API name the secret, not the token', async () => {
    const created = await s.api('/api/pipelines', { method: 'POST', json: toSink({ kind: 'sink.webhook', params: { url: { secret: 'HOOK' }, retries: 0 } }) });
    const id = created.body.id as string;
    await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST' });
    const letters = await eventually(async () => {
      const r = (await s.api(`/api/pipelines/${id}/dead-letters`)).body;
      return r.deadLetters.length === 3 && r.deadLetters;
    }, 'three dead letters');
    expect(JSON.stringify(letters)).not.toContain(token);
    expect(letters[0].reason).toContain('[secret HOOK]');
  });
});
