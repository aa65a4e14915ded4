import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PipelineValidationError } from '@eddy/shared';
import { createJob } from '../api.js';
import { redactSecrets } from './redact.js';

const dir = mkdtempSync(join(tmpdir(), 'eddy-secrets-'));
const suffix = randomBytes(4).toString('hex').toUpperCase();
const setEnv: string[] = [];
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const k of setEnv) delete process.env[k];
});

const toSink = (sink: object) => ({
  format: 'eddy/pipeline@1', name: 'secrets', settings: { guarantee: 'at-least-once' },
  nodes: [{ id: 'gen', kind: 'source.generator', params: { scenario: 'iot', limit: 2, ratePerSec: 0 } }, { id: 'out', ...sink }],
  edges: [{ from: 'gen', to: 'out' }],
});
const errorsOf = (fn: () => unknown) => {
  try { fn(); } catch (err) { if (err instanceof PipelineValidationError) return err.errors; throw err; }
  return [];
};

describe('secrets resolve only from names the operator gave', () => {
  it('{ "secret": "PATH" } does not read the PATH variable: it is refused, saying where a secret comes from', () => {
    const issues = errorsOf(() => createJob(toSink({ kind: 'sink.webhook', params: { url: { secret: 'PATH' } } }), { baseDir: dir }));
    expect(issues).toEqual([expect.objectContaining({ code: 'unknown_secret', nodeId: 'out', path: 'nodes[1].params.url' })]);
    expect(issues[0].message).toContain('EDDY_SECRET_PATH');
    expect(issues[0].message).not.toContain(process.env.PATH!);
  });

  it('EDDY_SECRET_<NAME> and an owner-only secrets file give secrets; a file others can read is refused', () => {
    const name = `HOOK_${suffix}`;
    process.env[`EDDY_SECRET_${name}`] = 'http://127.0.0.1:1/x';
    setEnv.push(`EDDY_SECRET_${name}`);
    expect(errorsOf(() => createJob(toSink({ kind: 'sink.webhook', params: { url: { secret: name } } }), { baseDir: dir }))).toEqual([]);

    const file = join(dir, 'secrets.json');
    writeFileSync(file, JSON.stringify({ FROM_FILE: 'http://127.0.0.1:1/y' }));
    chmodSync(file, 0o600);
    const doc = toSink({ kind: 'sink.webhook', params: { url: { secret: 'FROM_FILE' } } });
    expect(errorsOf(() => createJob(doc, { baseDir: dir, secretsFile: file }))).toEqual([]);
    chmodSync(file, 0o644);
    const refused = errorsOf(() => createJob(doc, { baseDir: dir, secretsFile: file }));
    expect(refused[0].message).toContain(`chmod 600 ${file}`);
  });
});

describe('secret values never appear in error text or dead letters', () => {
  it('a failing webhook whose URL is a secret: the dead letter names the secret, not its value', async () => {
    const token = `tok-${randomBytes(8).toString('hex')}`;
    const name = `WEBHOOK_${suffix}`;
    process.env[`EDDY_SECRET_${name}`] = `http://127.0.0.1:1/hooks/${token}`;
    setEnv.push(`EDDY_SECRET_${name}`);
    const job = createJob(toSink({ kind: 'sink.webhook', params: { url: { secret: name }, retries: 0 } }), { baseDir: dir });
    await job.start();
    expect((await job.done).state).toBe('finished');
    const letters = job.deadLetters();
    expect(letters.length).toBe(2);
    expect(JSON.stringify(letters)).not.toContain(token);
    expect(letters[0].reason).toContain(`[secret ${name}]`);
    expect(JSON.stringify(job.document)).not.toContain(token);
  });

  it('a NATS server that cannot be reached: the job error carries no password', async () => {
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const name = `NATS_${suffix}`;
    process.env[`EDDY_SECRET_${name}`] = `nats://eddy:${password}@127.0.0.1:1`;
    setEnv.push(`EDDY_SECRET_${name}`);
    const job = createJob(toSink({ kind: 'sink.nats', params: { url: { secret: name }, subject: `eddy.secret.${suffix}` } }), { baseDir: dir });
    await job.start();
    const outcome = await job.done;
    expect(outcome.state).toBe('failed');
    expect(outcome.error?.message).toContain("sink.nats 'out'");
    expect(outcome.error?.message).not.toContain(password);
  });

  it('redactSecrets replaces a known value, its password and its URL form', () => {
    const text = `connect to nats://eddy:pw-${suffix}-x@127.0.0.1:1 failed (password pw-${suffix}-x)`;
    process.env[`EDDY_SECRET_R_${suffix}`] = `nats://eddy:pw-${suffix}-x@127.0.0.1:1`;
    setEnv.push(`EDDY_SECRET_R_${suffix}`);
    createJob(toSink({ kind: 'sink.nats', params: { url: { secret: `R_${suffix}` }, subject: 's' } }), { baseDir: dir });
    expect(redactSecrets(text)).toBe(`connect to [secret R_${suffix}] failed (password [secret R_${suffix}])`);
  });
});
