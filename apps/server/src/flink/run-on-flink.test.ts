import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli.js';
import { withAbsolutePaths } from './run-on-flink.js';

const dir = mkdtempSync(join(tmpdir(), 'eddy-on-flink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const capture = () => {
  const lines: string[] = [];
  return { lines, io: { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) } };
};
const fields = [{ name: 'ts', type: 'number' }, { name: 'v', type: 'number' }];
const pipeline = (sink: Record<string, unknown>) => ({
  format: 'eddy/pipeline@1', name: 'on flink',
  nodes: [{ id: 'src', kind: 'source.file', params: { path: 'in.jsonl', eventTime: { field: 'ts', maxOutOfOrderness: '0ms' }, fields } }, { id: 'sink', ...sink }],
  edges: [{ from: 'src', to: 'sink' }],
});

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('eddy run --on flink, before anything reaches Flink', () => {
  it('names the untranslatable nodes and submits nothing (exit 1, not the unreachable gateway\'s 2)', async () => {
    writeFileSync(join(dir, 'hook.json'), JSON.stringify(pipeline({ kind: 'sink.webhook', params: { url: 'http://127.0.0.1:9/x' } })));
    const c = capture();
    expect(await cli(['run', join(dir, 'hook.json'), '--on', 'flink', '--gateway', `http://127.0.0.1:${await closedPort()}`], c.io)).toBe(1);
    expect(c.lines[0]).toMatch(/^\[sink\] not translatable: Flink has no built-in HTTP sink/);
    expect(c.lines.at(-1)).toMatch(/nothing was submitted/);
  });

  it('says when the gateway does not answer (exit 2) and refuses embedded-engine options', async () => {
    writeFileSync(join(dir, 'file.json'), JSON.stringify(pipeline({ kind: 'sink.file', params: { path: 'out/rows' } })));
    const c = capture();
    expect(await cli(['run', join(dir, 'file.json'), '--on', 'flink', '--quiet', '--gateway', `http://127.0.0.1:${await closedPort()}`], c.io)).toBe(2);
    expect(c.lines.join('\n')).toMatch(/SQL Gateway at http:\/\/127\.0\.0\.1:\d+ does not answer.*eddy flink start/);
    expect(await cli(['run', join(dir, 'file.json'), '--on', 'flink', '--state', 'memory'], capture().io)).toBe(2);
    expect(await cli(['run', join(dir, 'file.json'), '--on', 'spark'], capture().io)).toBe(2);
  });

  it('gives Flink absolute file:// paths, and refuses a file sink whose path is a file', () => {
    const { doc, problems } = withAbsolutePaths(pipeline({ kind: 'sink.file', params: { path: 'out/rows' } }), dir);
    const paths = (doc as ReturnType<typeof pipeline>).nodes.map((n) => (n as { params: { path: string } }).params.path);
    expect(paths).toEqual([`file://${join(dir, 'in.jsonl')}`, `file://${join(dir, 'out/rows')}`]);
    expect(problems).toEqual([]);
    mkdirSync(join(dir, 'out'), { recursive: true });
    writeFileSync(join(dir, 'out/rows'), '{}\n');
    expect(withAbsolutePaths(pipeline({ kind: 'sink.file', params: { path: 'out/rows' } }), dir).problems)
      .toEqual([{ nodeId: 'sink', message: expect.stringMatching(/is a file .*folder of part files/) }]);
  });
});
