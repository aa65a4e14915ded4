import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli } from '../cli.js';

const dir = mkdtempSync(join(tmpdir(), 'eddy-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MODELS = fileURLToPath(new URL('../../../../examples/models/', import.meta.url));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

const scoring = (features: string[]) => ({
  format: 'eddy/pipeline@1', name: 'onnx scoring',
  nodes: [
    { id: 'src', kind: 'source.file', params: { path: 'sessions.jsonl', fields: features.map((name) => ({ name, type: 'number' })) } },
    { id: 'propensity', kind: 'score', params: { features: features.map((name) => ({ name, expr: name })), model: { type: 'onnx', path: 'model.onnx' }, output: 'p' } },
    { id: 'out', kind: 'sink.file', params: { path: 'scored.jsonl' } },
  ],
  edges: [{ from: 'src', to: 'propensity' }, { from: 'propensity', to: 'out' }],
});

describe('eddy model to-onnx', () => {
  it('converts a JSON model into the ONNX model a pipeline then runs and validates', async () => {
    copyFileSync(join(MODELS, 'checkout-propensity.json'), join(dir, 'checkout-propensity.json'));
    const c = capture();
    expect(await cli(['model', 'to-onnx', join(dir, 'checkout-propensity.json'), join(dir, 'model.onnx')], c.io)).toBe(0);
    expect(c.out[0]).toMatch(/logistic model, input 'features' \[N, 4\] \(events, carts, checkouts, cart_value\)/);
    expect(readFileSync(join(dir, 'model.onnx')).equals(readFileSync(join(MODELS, 'checkout-propensity.onnx')))).toBe(true);

    writeFileSync(join(dir, 'sessions.jsonl'), '{"events":10,"carts":2,"checkouts":1,"cart_value":120}\n');
    writeFileSync(join(dir, 'p.json'), JSON.stringify(scoring(['events', 'carts', 'checkouts', 'cart_value'])));
    expect(await cli(['validate', join(dir, 'p.json')], capture().io)).toBe(0);
    expect(await cli(['run', join(dir, 'p.json')], capture().io)).toBe(0);
    const [row] = readFileSync(join(dir, 'scored.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(row.p).toBeCloseTo(1 / (1 + Math.exp(-(-1.8 + 0.05 * 10 + 0.6 * 2 + 1.1 + 0.002 * 120))), 6);

    writeFileSync(join(dir, 'short.json'), JSON.stringify(scoring(['events', 'carts'])));
    const v = capture();
    expect(await cli(['validate', join(dir, 'short.json')], v.io)).toBe(1);
    expect(v.out).toEqual([expect.stringMatching(/^\[propensity\] nodes\[1\]\.params\.model: .*takes 4 features; the node gives 2 \(events, carts\)/)]);
  });

  it('says what is wrong with a file that is not a built-in model, and how to call it', async () => {
    writeFileSync(join(dir, 'odd.json'), JSON.stringify({ model: { type: 'linear', weights: { a: 'x' } } }));
    const c = capture();
    expect(await cli(['model', 'to-onnx', join(dir, 'odd.json'), join(dir, 'odd.onnx')], c.io)).toBe(1);
    expect(c.err[0]).toMatch(/odd\.json: not an Eddy model: weights\.a: /);
    const u = capture();
    expect(await cli(['model', 'from-onnx', 'a', 'b'], u.io)).toBe(2);
    expect(u.err[0]).toMatch(/eddy model to-onnx, not 'from-onnx'/);
  });
});
