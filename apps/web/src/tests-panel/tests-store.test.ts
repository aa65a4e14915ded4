import { beforeEach, describe, expect, it } from 'vitest';
import type { PipelineDocument, PipelineTestCase, TestRunResult } from '@eddy/shared';
import {
  badgeLabel, caseSummary, countsLabel, firstPick, isStale, pickForSink, recordedLabel, runSummary, sinkVerdicts, useTests,
} from './tests-store';
import { checkCaseName, checkSeconds, freeCaseName } from './tests-actions';
import { moveNode, useEditor } from '../state/editor-store';

const sample: PipelineTestCase = {
  name: 'sample', recordedAt: '2026-12-03T08:20:00.000Z',
  inputs: { clicks: [{ a: 1 }, { a: 2 }, { a: 3 }] },
  expected: { discounts: [{ d: 1 }], shipping: [{ s: 1 }, { s: 2 }], no_offer: [] },
};
const other: PipelineTestCase = { name: 'other', inputs: { clicks: [] }, expected: { discounts: [], shipping: [] } };

const doc = {
  format: 'eddy/pipeline@1', name: 'p', settings: {},
  nodes: [
    { id: 'clicks', kind: 'source.generator', params: { limit: 10 }, ui: { x: 0, y: 0 } },
    { id: 'keep', kind: 'filter', params: { where: 'price > 1' }, ui: { x: 300, y: 0 } },
  ],
  edges: [{ from: 'clicks', to: 'keep' }],
  tests: [sample, other],
} as unknown as PipelineDocument;

const diff = (sink: string, missingCount: number, unexpectedCount: number) => ({ sink, missingCount, unexpectedCount, missing: [], unexpected: [] });
const failing: TestRunResult = {
  cases: [
    { name: 'sample', passed: false, rows: 3, diffs: [diff('discounts', 1, 0), diff('shipping', 0, 1)] },
    { name: 'other', passed: false, rows: 1, diffs: [diff('shipping', 2, 3)] },
  ],
};
const passing: TestRunResult = { cases: [{ name: 'sample', passed: true, rows: 3, diffs: [] }] };

describe('the Tests tab in numbers', () => {
  it('lists a case as counts per source and per sink', () => {
    expect(caseSummary(sample)).toEqual({ name: 'sample', recordedAt: '2026-12-03T08:20:00.000Z', inputs: { clicks: 3 }, expected: { discounts: 1, shipping: 2, no_offer: 0 } });
    expect(countsLabel(caseSummary(sample).expected)).toBe('discounts 1 · shipping 2 · no_offer 0');
    expect(countsLabel({})).toBe('—');
    expect([recordedLabel('2026-12-03T08:20:00.000Z'), recordedLabel(null), recordedLabel('yesterday')]).toEqual(['2026-12-03 08:20 UTC', 'unknown', 'yesterday']);
  });

  it('sums each sink over the cases that ran: a sink fails when any case differs there, the others checked pass', () => {
    const v = sinkVerdicts(failing, [sample, other]);
    expect(v.discounts).toEqual({ passed: false, missing: 1, unexpected: 0, firstFailingCase: 'sample' });
    expect(v.shipping).toEqual({ passed: false, missing: 2, unexpected: 4, firstFailingCase: 'sample' });
    expect(v.no_offer).toEqual({ passed: true, missing: 0, unexpected: 0, firstFailingCase: null });
    // Only the cases that ran count: `other` alone did not check no_offer.
    expect(Object.keys(sinkVerdicts({ cases: [failing.cases[1]] }, [sample, other])).sort()).toEqual(['discounts', 'shipping']);
    expect(badgeLabel(v.shipping)).toBe('✗ 2 missing, 4 unexpected');
    expect(badgeLabel(v.discounts)).toBe('✗ 1 missing');
    expect(badgeLabel(v.no_offer)).toBe('✓');
  });

  it('says how the run went and what the tab shows first; a badge picks its sink\'s first failing case', () => {
    expect(runSummary(failing)).toBe('2 of 2 cases failed');
    expect(runSummary(passing)).toBe('The case passed');
    expect(firstPick(failing)).toEqual({ caseName: 'sample', sink: 'discounts' });
    expect(firstPick(passing)).toEqual({ caseName: 'sample', sink: null });
    const v = sinkVerdicts(failing, [sample, other]);
    expect(pickForSink(failing, v, 'shipping')).toEqual({ caseName: 'sample', sink: 'shipping' });
    expect(pickForSink(passing, sinkVerdicts(passing, [sample]), 'no_offer')).toEqual({ caseName: 'sample', sink: 'no_offer' });
  });

  it('checks what the record dialogs ask', () => {
    expect([checkCaseName(' '), checkCaseName('x'.repeat(201)), checkCaseName('checkout')]).toEqual(['Give the case a name', 'At most 200 characters', null]);
    expect([checkSeconds('10'), checkSeconds('0.5'), checkSeconds('0.1'), checkSeconds('61'), checkSeconds('ten'), checkSeconds('')].map((x) => x === null))
      .toEqual([true, true, false, false, false, false]);
    expect([freeCaseName([]), freeCaseName(['recorded']), freeCaseName(['recorded', 'recorded-2'])]).toEqual(['recorded', 'recorded-2', 'recorded-3']);
  });
});

describe('the test run store', () => {
  /** The store as a finished run leaves it (without asking the server). */
  const ranOn = (d: PipelineDocument, result = failing) => useTests.setState({ result, ranOn: d, verdicts: sinkVerdicts(result, d.tests ?? []), picked: firstPick(result) });
  beforeEach(() => { useEditor.getState().load(doc, 'p1', 3); ranOn(doc); });

  it('a move, a rename or a save keeps the results', () => {
    useEditor.getState().change((d) => moveNode(d, 'keep', 500, 40));
    useEditor.getState().change((d) => ({ ...d, name: 'renamed' }));
    useEditor.getState().markSaved('p1', 4);
    expect(useTests.getState().result).toBe(failing);
    expect(Object.keys(useTests.getState().verdicts)).toContain('discounts');
  });

  it('an edit that changes what runs clears them, as does an edit of the cases', () => {
    useEditor.getState().change((d) => ({ ...d, nodes: d.nodes.map((n) => (n.id === 'keep' ? { ...n, params: { where: 'price > 2' } } : n)) }));
    expect(useTests.getState().result).toBeNull();
    expect(useTests.getState().verdicts).toEqual({});
    ranOn(useEditor.getState().doc);
    useEditor.getState().change((d) => ({ ...d, tests: [sample] }));
    expect(useTests.getState().result).toBeNull();
  });

  it('the same cases in a new array (the code view re-parses) are not an edit of them', () => {
    const copy = { ...doc, tests: JSON.parse(JSON.stringify(doc.tests)) as PipelineTestCase[] };
    expect(isStale(doc, copy)).toBe(false);
    expect(isStale(doc, { ...copy, tests: [other] })).toBe(true);
  });

  it('opening a document (another, or the new revision after a recording) clears them', () => {
    useEditor.getState().load(doc, 'p1', 4);
    expect(useTests.getState().result).toBeNull();
    expect(useTests.getState().picked).toBeNull();
  });
});
