// Fuzz: expression text as a filter's `where` (and a map's `expr`, a route's `where`) against
// POST /api/validate: always 200 with { ok, errors }, never a 5xx, whatever the text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startServer, type TestServer } from '../test-utils/harness.js';
import { announce, CaseCounter, FUZZ_TEST_TIMEOUT_MS, watchForCrashes, expectHealthy, expectStillServes, expectValidateAnswer, FUZZ_QUOTAS, postJson, runs } from '../test-utils/fuzz-kit.js';

const FIELDS = ['event_type', 'price', 'quantity', 'country', 'user_id', 'ts', 'category', 'cart.total', 'nope', '"my field"', '`price`', 'Price', '_'];
const FUNCTIONS = ['COALESCE', 'LOWER', 'UPPER', 'TRIM', 'LTRIM', 'RTRIM', 'LENGTH', 'CHAR_LENGTH', 'SUBSTRING', 'CONCAT', 'ROUND', 'ABS', 'FLOOR',
  'CEIL', 'SQRT', 'LN', 'EXP', 'POWER', 'GREATEST', 'LEAST', 'TO_TIMESTAMP', 'YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND', 'DAYOFWEEK',
  'NOW', 'eval', 'constructor', '__proto__'];
const KEYWORDS = ['AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'TRUE', 'FALSE', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'BETWEEN', 'LIKE', 'CAST', 'AS',
  'STRING', 'NUMBER', 'BOOLEAN', 'and', 'Not', 'null'];
const OPERATORS = ['<=', '>=', '<>', '!=', '==', '||', '=', '<', '>', '+', '-', '*', '/', '%', '(', ')', ',', '.', '(', ')'];
const LITERALS = ['0', '1', '1.5', '.5', '1e3', '1e400', '-0', '00012', '1.', '1e', '9'.repeat(400), "'page_view'", "'it''s'", "''", "'", "'%_%'",
  "'😀'", '"', '`', '\u0000', '\uD800', '$', '#', ';', '\\', '?', '@', '{', '[', ']', '\n', '\t'];

const token = fc.oneof(
  fc.constantFrom(...FIELDS), fc.constantFrom(...FUNCTIONS), fc.constantFrom(...KEYWORDS), fc.constantFrom(...OPERATORS), fc.constantFrom(...LITERALS),
  fc.double().map(String), fc.string({ unit: 'binary', maxLength: 6 }), fc.string({ maxLength: 8 }).map((s) => `'${s}'`),
);

/** Mostly well-formed trees: fields, literals, operators, functions, CASE, IN, BETWEEN, LIKE, CAST. */
const tree = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...FIELDS), fc.constantFrom(...LITERALS.slice(0, 15)), fc.constantFrom('TRUE', 'FALSE', 'NULL'),
    fc.tuple(tie('e'), fc.constantFrom('AND', 'OR', '=', '<>', '<', '>=', '+', '-', '*', '/', '%', '||', '=='), tie('e')).map(([l, o, r]) => `${l} ${o} ${r}`),
    fc.tuple(tie('e'), fc.constantFrom('NOT ', '-', '')).map(([e, u]) => `${u}(${e})`),
    fc.tuple(fc.constantFrom(...FUNCTIONS), fc.array(tie('e'), { maxLength: 4 })).map(([f, args]) => `${f}(${args.join(', ')})`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([c, t, e]) => `CASE WHEN ${c} THEN ${t} ELSE ${e} END`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([x, v, r]) => `CASE ${x} WHEN ${v} THEN ${r} END`),
    fc.tuple(tie('e'), fc.array(tie('e'), { maxLength: 5 }), fc.boolean()).map(([x, items, not]) => `${x} ${not ? 'NOT ' : ''}IN (${items.join(', ')})`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([x, a, b]) => `${x} BETWEEN ${a} AND ${b}`),
    fc.tuple(tie('e'), fc.string({ maxLength: 12 })).map(([x, p]) => `${x} LIKE '${p.replace(/'/g, "''")}'`),
    fc.tuple(tie('e'), fc.constantFrom('STRING', 'NUMBER', 'BOOLEAN', 'DATE', '')).map(([x, t]) => `CAST(${x} AS ${t})`),
    fc.tuple(tie('e'), fc.boolean()).map(([x, not]) => `${x} IS ${not ? 'NOT ' : ''}NULL`),
  ),
})).e;

/** Deep nesting of every recursive construct: what overflows a recursive parser or checker. */
const DEEP: Record<string, (d: number) => string> = {
  parentheses: (d) => `${'('.repeat(d)}price${')'.repeat(d)} > 1`,
  not: (d) => `${'NOT '.repeat(d)}TRUE`,
  unaryMinus: (d) => `${'- '.repeat(d)}price > 0`,
  functionCalls: (d) => `${'ABS('.repeat(d)}price${')'.repeat(d)} > 1`,
  rightNestedSum: (d) => `${'price + ('.repeat(d)}1${')'.repeat(d)} > 0`,
  longSum: (d) => `${Array.from({ length: d }, () => 'price').join(' + ')} > 0`,
  longOr: (d) => Array.from({ length: d }, (_, i) => `price = ${i}`).join(' OR '),
  nestedCase: (d) => `${'CASE WHEN TRUE THEN '.repeat(d)}price${' END'.repeat(d)} > 0`,
  nestedCoalesce: (d) => `${'COALESCE(price, '.repeat(d)}1${')'.repeat(d)} > 0`,
  longInList: (d) => `price IN (${Array.from({ length: d * 4 }, (_, i) => i).join(', ')})`,
  likeManyPercents: (d) => `country LIKE '${'%'.repeat(d)}!'`,
  openParentheses: (d) => '('.repeat(d),
  closeParentheses: (d) => ')'.repeat(d),
};
// A descriptor, built into text in the property, so a failure prints { shape, depth } and not 50 KB of text.
const deepExpression = fc.record({ shape: fc.constantFrom(...Object.keys(DEEP)), depth: fc.integer({ min: 50, max: 5_000 }) });

const document = (where: string, place: 'filter' | 'map' | 'route') => ({
  format: 'eddy/pipeline@1',
  name: 'Expression fuzz',
  nodes: [
    { id: 'clicks', kind: 'source.generator', params: { scenario: 'clickstream' } },
    place === 'filter' ? { id: 'test', kind: 'filter', params: { where } }
      : place === 'map' ? { id: 'test', kind: 'map', params: { keep: true, fields: [{ name: 'out', expr: where }] } }
        : { id: 'test', kind: 'route', params: { routes: [{ port: 'hit', where }] } },
    { id: 'live', kind: 'sink.live', params: {} },
  ],
  edges: [{ from: 'clicks', to: 'test' }, { from: 'test', ...(place === 'route' && { fromPort: 'hit' }), to: 'live' }],
});

let server: TestServer;
let stopWatching: (() => void) | undefined;
const counter = new CaseCounter();
beforeAll(async () => {
  announce('expressions');
  stopWatching = watchForCrashes();
  server = await startServer();
});
afterAll(async () => {
  stopWatching?.();
  await server?.destroy();
});

async function validates(expression: string, place: 'filter' | 'map' | 'route'): Promise<{ ok: boolean }> {
  counter.tick();
  const answer = await postJson(server, '/api/validate', document(expression, place));
  const verdict = expectValidateAnswer(answer, `validate with ${place} expression ${JSON.stringify(expression.slice(0, 120))}`);
  // A document carrying only an expression is JSON the server parses: it must be judged, not refused.
  if (!verdict) throw new Error(`validate refused the document: ${answer.status} ${answer.text.slice(0, 200)}`);
  return verdict;
}

const place = fc.constantFrom('filter' as const, 'map' as const, 'route' as const);

describe('fuzz: expressions', () => {
  it('token soup is judged (200 with ok true or false), never a 5xx', async () => {
    await fc.assert(fc.asyncProperty(fc.array(token, { maxLength: 40 }), fc.constantFrom(' ', ''), place,
      async (tokens, sep, at) => { await validates(tokens.join(sep), at); }), runs(400));
    await expectHealthy(server);
  }, FUZZ_TEST_TIMEOUT_MS);

  it('random expression trees are judged, and the well-formed ones over known fields pass', async () => {
    let accepted = 0;
    await fc.assert(fc.asyncProperty(tree, place, async (e, at) => {
      if ((await validates(e, at)).ok) accepted++;
    }), runs(300));
    // The generator is not all garbage: some trees type-check (else the property would only test the error path).
    expect(accepted).toBeGreaterThan(0);
    await expectHealthy(server);
  }, FUZZ_TEST_TIMEOUT_MS);

  it('deeply nested and very long expressions are judged, never a 5xx', async () => {
    await fc.assert(fc.asyncProperty(deepExpression, place, async ({ shape, depth }, at) => { await validates(DEEP[shape](depth), at); }), runs(100));
    await expectHealthy(server);
  }, FUZZ_TEST_TIMEOUT_MS);

  it('afterwards the server still serves and runs a valid pipeline', async () => {
    await expectStillServes(server);
  });

  it(`ran at least ${FUZZ_QUOTAS.expressions} cases`, () => {
    expect(counter.count).toBeGreaterThanOrEqual(FUZZ_QUOTAS.expressions);
  });
});
