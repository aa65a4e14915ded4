import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startServer, type TestServer } from '../test-utils/harness.js';
import { cli } from '../cli.js';

let s: TestServer;
const outside = mkdtempSync(join(tmpdir(), 'eddy-outside-'));
writeFileSync(join(outside, 'private.jsonl'), '{"token":"do-not-read"}\n');
beforeAll(async () => { s = await startServer(); });
afterAll(async () => { await s.destroy(); rmSync(outside, { recursive: true, force: true }); });

const reading = (path: string) => ({
  format: 'eddy/pipeline@1', name: `reads ${path}`,
  nodes: [{ id: 'src', kind: 'source.file', params: { path } }, { id: 'live', kind: 'sink.live', params: {} }],
  edges: [{ from: 'src', to: 'live' }],
});
const writing = (path: string) => ({
  format: 'eddy/pipeline@1', name: `writes ${path}`, settings: { restart: { strategy: 'none' } },
  nodes: [{ id: 'gen', kind: 'source.generator', params: { scenario: 'iot', limit: 5 } }, { id: 'out', kind: 'sink.file', params: { path } }],
  edges: [{ from: 'gen', to: 'out' }],
});

describe('files only inside the allowed folders (server)', () => {
  it.each([
    ['/etc/passwd', reading], ['/proc/self/environ', reading], ['../../escape.jsonl', writing], ['/tmp/eddy-anywhere.jsonl', writing],
  ] as const)('%s: validate says why (node and path), create and replace answer 400', async (path, make) => {
    const v = await s.api('/api/validate', { method: 'POST', json: make(path) });
    expect(v.status).toBe(200);
    expect(v.body.ok).toBe(false);
    const nodeId = make === reading ? 'src' : 'out';
    expect(v.body.errors).toEqual([expect.objectContaining({ code: 'path_not_allowed', nodeId, path: make === reading ? 'nodes[0].params.path' : 'nodes[1].params.path' })]);
    expect(v.body.errors[0].message).toContain('outside the folders Eddy may use');

    const created = await s.api('/api/pipelines', { method: 'POST', json: make(path) });
    expect(created.status).toBe(400);
    expect(created.body.error.code).toBe('invalid_pipeline');
    expect(created.body.error.message).toContain(`node '${nodeId}'`);

    const ok = await s.api('/api/pipelines', { method: 'POST', json: make('inside.jsonl') });
    expect(ok.status).toBe(201);
    expect((await s.api(`/api/pipelines/${ok.body.id}`, { method: 'PUT', json: make(path) })).status).toBe(400);
    expect((await s.api('/api/health')).body.status).toBe('ok');
  });

  it('a link inside the data folder that points out is refused at deploy (400), and nothing is read', async () => {
    mkdirSync(join(s.dataDir, 'in'), { recursive: true });
    writeFileSync(join(s.dataDir, 'in', 'events.jsonl'), '{"a":1}\n');
    const created = await s.api('/api/pipelines', { method: 'POST', json: reading('in/events.jsonl') });
    expect(created.status).toBe(201);
    rmSync(join(s.dataDir, 'in', 'events.jsonl'));
    symlinkSync(join(outside, 'private.jsonl'), join(s.dataDir, 'in', 'events.jsonl'));
    const deployed = await s.api(`/api/pipelines/${created.body.id}/deploy`, { method: 'POST' });
    expect(deployed.status).toBe(400);
    expect(deployed.body.error.details.errors[0]).toMatchObject({ code: 'path_not_allowed', nodeId: 'src', path: 'nodes[0].params.path' });
    expect(deployed.body.error.message).toContain(`leads to ${join(outside, 'private.jsonl')}`);
    expect((await s.api(`/api/pipelines/${created.body.id}/status`)).body.state).toBe('stopped');
    expect(JSON.stringify((await s.api(`/api/pipelines/${created.body.id}/nodes/live/rows`)).body)).not.toContain('do-not-read');
  });
});

describe('a file sink does not replace a file it did not create (server)', () => {
  it('deploying onto a user file fails the job with the way out, the file untouched; overwrite: true replaces it', async () => {
    writeFileSync(join(s.dataDir, 'report.jsonl'), 'my report\n');
    const created = await s.api('/api/pipelines', { method: 'POST', json: writing('report.jsonl') });
    await s.api(`/api/pipelines/${created.body.id}/deploy`, { method: 'POST' });
    const status = await eventually(async () => {
      const st = (await s.api(`/api/pipelines/${created.body.id}/status`)).body;
      return st.state === 'failed' && st;
    }, 'the job to fail');
    expect(status.error).toContain("sink.file 'out': 'report.jsonl' already exists and was not written by an Eddy file sink");
    expect(status.error).toContain('overwrite: true');
    expect(readFileSync(join(s.dataDir, 'report.jsonl'), 'utf8')).toBe('my report\n');

    const doc = writing('report.jsonl');
    (doc.nodes[1].params as Record<string, unknown>).overwrite = true;
    expect((await s.api(`/api/pipelines/${created.body.id}`, { method: 'PUT', json: doc })).status).toBe(200);
    await s.api(`/api/pipelines/${created.body.id}/deploy`, { method: 'POST' });
    await eventually(async () => (await s.api(`/api/pipelines/${created.body.id}/status`)).body.state === 'finished', 'the job to finish');
    expect(readFileSync(join(s.dataDir, 'report.jsonl'), 'utf8').trim().split('\n')).toHaveLength(5);
  });
});

describe('files only inside the allowed folders (command line)', () => {
  it('eddy validate and eddy run refuse a path outside the pipeline file\'s folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eddy-cli-roots-'));
    writeFileSync(join(dir, 'p.json'), JSON.stringify(reading(join(outside, 'private.jsonl'))));
    for (const command of ['validate', 'run']) {
      const out: string[] = [];
      const code = await cli([command, join(dir, 'p.json'), ...(command === 'run' ? ['--quiet'] : [])], { out: (l) => out.push(l), err: (l) => out.push(l) });
      expect(code).toBe(1);
      expect(out.join('\n')).toContain('[src] nodes[0].params.path:');
      expect(out.join('\n')).toContain('outside the folders Eddy may use');
      expect(out.join('\n')).not.toContain('do-not-read');
    }
    rmSync(dir, { recursive: true, force: true });
  });
});
