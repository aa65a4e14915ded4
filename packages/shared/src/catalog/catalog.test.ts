import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildCatalog, getKind, hasEventTime, kinds, NODE_KINDS, renderNodeReference } from './index.js';

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

  it('gives every kind its traits: sources assign event time, keyed state is fingerprinted', () => {
    for (const def of kinds) {
      expect(['assigns', 'uses', 'passes'], def.kind).toContain(def.eventTime);
      expect(typeof def.stateful, def.kind).toBe('boolean');
      // Only sources assign event time, and every source does.
      expect(def.eventTime === 'assigns', def.kind).toBe(def.category === 'source');
      // A stateful kind says what its state means; so does a source that resumes from an offset.
      if (def.stateful) expect(typeof def.stateFingerprint, def.kind).toBe('function');
      // A stateful kind says how parallel subtasks share its input (its key per input port), so each key lives in one subtask.
      if (def.stateful) expect(typeof def.partitioning, def.kind).toBe('function');
      if (def.category === 'source' && def.delivery && 'source' in def.delivery && def.delivery.source === 'replayable') {
        expect(typeof def.stateFingerprint, def.kind).toBe('function');
      }
    }
    // Checked against the operators by packages/runtime/src/core/kind-traits.test.ts.
    expect(kinds.filter((k) => k.stateful).map((k) => k.kind).sort()).toEqual(['dedupe', 'join', 'window']);
    expect(kinds.filter((k) => k.eventTime === 'uses').map((k) => k.kind).sort()).toEqual(['dedupe', 'join', 'window']);
    // Served, so the web app reads them rather than keeping its own lists.
    const served = buildCatalog(kinds).kinds.find((k) => k.kind === 'window')!;
    expect(served).toMatchObject({ stateful: true, eventTime: 'uses' });
    expect(buildCatalog(kinds).kinds.find((k) => k.kind === 'filter')).toMatchObject({ stateful: false, eventTime: 'passes' });
  });

  it('tells which sources stamp event time from their data', () => {
    expect(hasEventTime(getKind('source.generator')!, {})).toBe(true);
    expect(hasEventTime(getKind('source.file')!, { path: 'a.jsonl' })).toBe(false);
    expect(hasEventTime(getKind('source.file')!, { path: 'a.jsonl', eventTime: { field: 'ts' } })).toBe(true);
    expect(hasEventTime(getKind('window')!, {})).toBe(false);
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
