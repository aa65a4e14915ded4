import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startServer, viewsPerCountry, type TestServer } from '../test-utils/harness.js';

let s: TestServer;
beforeAll(async () => { s = await startServer(); });
afterAll(async () => { await s.destroy(); });

const writing = (guarantee: string, file: string) => ({
  format: 'eddy/pipeline@1', name: `writes ${file}`, settings: { guarantee, checkpointIntervalMs: 200, restart: { strategy: 'none' } },
  nodes: [
    { id: 'gen', kind: 'source.generator', params: { scenario: 'iot', ratePerSec: 500 } },
    { id: 'out', kind: 'sink.file', params: { path: `runs/${file}` } },
  ],
  edges: [{ from: 'gen', to: 'out' }],
});

describe('a running file sink whose output is deleted', () => {
  for (const [guarantee, victim] of [['exactly-once', '.parts'], ['exactly-once', 'file'], ['at-least-once', 'file']] as const) {
    it(`${guarantee}, ${victim} deleted: the job fails naming the node; the server keeps serving`, async () => {
      const file = `out-${guarantee}-${victim.replace('.', '')}.jsonl`;
      const { body } = await s.api('/api/pipelines', { method: 'POST', json: writing(guarantee, file) });
      expect((await s.api(`/api/pipelines/${body.id}/deploy`, { method: 'POST' })).status).toBe(200);
      const target = join(s.dataDir, 'runs', victim === 'file' ? file : `.${file}.parts`);
      await eventually(() => existsSync(target), 'the sink to create its file');
      rmSync(target, { recursive: true, force: true });

      const status = await eventually(async () => {
        const st = (await s.api(`/api/pipelines/${body.id}/status`)).body;
        return st.state === 'failed' && st;
      }, 'the job to fail');
      expect(status.error).toContain("sink.file 'out'");
      expect(status.error).toContain('deleted or moved while the pipeline ran');

      // The process lives on: health answers, and another pipeline deploys and runs.
      expect((await s.api('/api/health')).body.status).toBe('ok');
      const other = await s.api('/api/pipelines', { method: 'POST', json: viewsPerCountry('1s') });
      expect((await s.api(`/api/pipelines/${other.body.id}/deploy`, { method: 'POST' })).body.state).toBe('running');
      await eventually(async () => (await s.api(`/api/pipelines/${other.body.id}/metrics`)).body.nodes.live.recordsIn > 0, 'rows to flow');
      expect((await s.api(`/api/pipelines/${other.body.id}/stop`, { method: 'POST' })).body.state).toBe('stopped');
    });
  }
});
