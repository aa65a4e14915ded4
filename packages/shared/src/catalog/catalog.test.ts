import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildCatalog, getKind, kinds, NODE_KINDS, renderNodeReference } from './index.js';

describe('catalog', () => {
  it('has unique kinds whose defaults are valid params', () => {
    expect(new Set(NODE_KINDS).size).toBe(NODE_KINDS.length);
    for (const def of kinds) {
      const parsed = (def.params as { safeParse(v: unknown): { success: boolean; error?: unknown } }).safeParse(def.defaults);
      expect(parsed.success, `${def.kind} defaults: ${JSON.stringify(parsed.error)}`).toBe(true);
      expect(def.doc.length, def.kind).toBeGreaterThan(20);
    }
  });

  it('serves params as JSON Schema with expression fields marked', () => {
    const catalog = buildCatalog(kinds);
    const filter = catalog.kinds.find((k) => k.kind === 'filter')!;
    expect(filter.inputs.map((p) => p.name)).toEqual(['in']);
    const where = (filter.paramsSchema as { properties: Record<string, Record<string, unknown>> }).properties.where;
    expect(where).toMatchObject({ type: 'string', 'x-eddy': 'expression' });
    const window = catalog.kinds.find((k) => k.kind === 'window')!;
    expect(window.outputs.map((p) => p.name)).toEqual(['out', 'late']);
    // The catalog travels as JSON.
    expect(JSON.parse(JSON.stringify(catalog))).toEqual(catalog);
    expect(catalog.categories.map((c) => c.id)).toContain('window');
  });

  it('looks kinds up by id', () => {
    expect(getKind('window')?.title).toBe('Window');
    expect(getKind('nope')).toBeUndefined();
  });

  it('docs/nodes.md is the rendered catalog (run `npm run docs` after changing a kind)', () => {
    const file = fileURLToPath(new URL('../../../../docs/nodes.md', import.meta.url));
    expect(readFileSync(file, 'utf8')).toBe(renderNodeReference(kinds));
  });
});
