import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMPLATES, type PipelineDocument } from '@eddy/shared';
import { compareSinks, formatDiff, replayTestCase, rowKey } from './test-cases.js';

/** A data folder with the template's sample files (lookup tables, inputs). */
function dataFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-template-case-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('stored test cases', { timeout: 60_000 }, () => {
  it.each(TEMPLATES.map((t) => [t.id, t] as const))('template %s carries a case that passes, at parallelism 1 and 2', async (_id, t) => {
    const doc = t.document();
    expect(doc.tests).toHaveLength(1);
    const [stored] = doc.tests!;
    const baseDir = dataFolder(t.files?.() ?? {});
    expect(Object.values(stored.expected).some((rows) => rows.length > 0)).toBe(true);
    expect(compareSinks(stored.expected, await replayTestCase(doc, stored, { baseDir }))).toEqual([]);
    expect(compareSinks(stored.expected, await replayTestCase(doc, { ...stored, parallelism: 2 }, { baseDir }))).toEqual([]);
  });

  it('a changed filter fails the checkout template case with a diff naming the sink and rows', async () => {
    const t = TEMPLATES.find((x) => x.id === 'checkout-personalisation')!;
    const doc: PipelineDocument = t.document();
    const route = doc.nodes.find((n) => n.id === 'offers')!;
    (route.params as { routes: { where: string }[] }).routes[0].where = 'propensity >= 0.9 AND checkouts = 0';
    const [stored] = doc.tests!;
    const diffs = compareSinks(stored.expected, await replayTestCase(doc, stored, { baseDir: tmpdir() }));
    // Fewer discounts; those sessions fall through to the next route (free shipping or none).
    const discounts = diffs.find((d) => d.sink === 'discounts')!;
    expect(discounts.missing.length).toBeGreaterThan(0);
    expect(discounts.unexpected).toEqual([]);
    const moved = diffs.filter((d) => d.sink !== 'discounts').reduce((n, d) => n + d.unexpected.length - d.missing.length, 0);
    expect(moved).toBe(discounts.missing.length);
    const text = formatDiff(stored.name, diffs);
    expect(text).toMatch(/^✗ sample\n {2}sink discounts: \d+ row\(s\) missing, 0 not expected\n {4}- \{/);
  });

  it('compares rows as multisets, order and key order aside', () => {
    const a = { x: 1, y: { b: 2, a: 1 } };
    const b = { y: { a: 1, b: 2 }, x: 1 };
    expect(rowKey(a)).toBe(rowKey(b));
    expect(compareSinks({ s: [a, a, { x: 2 }] }, { s: [{ x: 2 }, b, b] })).toEqual([]);
    expect(compareSinks({ s: [a, a] }, { s: [b, { x: 3 }] })).toEqual([{ sink: 's', missing: [a], unexpected: [{ x: 3 }] }]);
  });
});
