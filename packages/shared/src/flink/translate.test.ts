import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { FlinkSQL } from 'dt-sql-parser';
import { TEMPLATES } from '../templates/templates.js';
import { translateToFlinkSql } from './translate.js';

const examples = fileURLToPath(new URL('../../../../examples/nexmark/', import.meta.url));
const parser = new FlinkSQL();

/** The script's statements one by one, the statement set's INSERTs on their own (the parser's grammar wants the older BEGIN STATEMENT SET form). */
function statements(sql: string): string[] {
  const body = sql.split('\n').filter((l) => !l.startsWith('--')).join('\n');
  const [main, set] = body.split('EXECUTE STATEMENT SET\nBEGIN\n');
  const list = main.split(/;\n/).map((s) => s.trim()).filter(Boolean);
  if (set) list.push(...set.replace(/\nEND;\s*$/, '').split(/;\n/).map((s) => s.trim()).filter(Boolean));
  return list;
}

/** Syntax errors per statement from dt-sql-parser's Flink grammar. Its grammar predates the SESSION window TVF (Flink 1.19), so those statements are left to the golden test. */
function syntaxErrors(sql: string): string[] {
  return statements(sql)
    .filter((s) => !s.includes('TABLE(SESSION('))
    .flatMap((s) => parser.validate(`${s};`).map((e) => `${e.message} in: ${s.slice(0, 120)}`));
}

const doc = (nodes: unknown[], edges: [string, string, string?, string?][], settings = {}) => ({
  format: 'eddy/pipeline@1', name: 'Test', settings,
  nodes,
  edges: edges.map(([from, to, fromPort, toPort]) => ({ from, to, ...(fromPort && { fromPort }), ...(toPort && { toPort }) })),
});
const orders = {
  id: 'orders', kind: 'source.file',
  params: { path: 'orders.jsonl', eventTime: { field: 'ts', maxOutOfOrderness: '2s' },
    fields: [{ name: 'ts', type: 'number' }, { name: 'user', type: 'string' }, { name: 'amount', type: 'number' }] },
};

describe('Flink SQL translation', () => {
  test('a file → filter → tumbling window → file pipeline gives this script', () => {
    const r = translateToFlinkSql(doc([
      orders,
      { id: 'big', kind: 'filter', params: { where: 'amount > 100' } },
      { id: 'per_user', kind: 'window', params: { size: '1m', keyBy: ['user'], aggregates: [{ name: 'n', fn: 'count' }, { name: 'total', fn: 'sum', field: 'amount' }] } },
      { id: 'out', kind: 'sink.file', params: { path: 'out' } },
    ], [['orders', 'big'], ['big', 'per_user'], ['per_user', 'out']], { guarantee: 'exactly-once', checkpointIntervalMs: 10000 }));
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.sql.split('\n').filter((l) => !l.startsWith('--')).join('\n').trim()).toBe(`SET 'execution.checkpointing.interval' = '10000ms';

SET 'table.local-time-zone' = 'UTC';

SET 'execution.checkpointing.mode' = 'EXACTLY_ONCE';

CREATE TABLE \`orders\` (
  \`ts\` BIGINT,
  \`user\` STRING,
  \`amount\` DOUBLE,
  \`eddy_time\` AS TO_TIMESTAMP_LTZ(\`ts\`, 3),
  WATERMARK FOR \`eddy_time\` AS \`eddy_time\` - INTERVAL '2' SECOND
) WITH (
  'connector' = 'filesystem',
  'path' = 'orders.jsonl',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);

CREATE TABLE \`out\` (
  \`window_start\` BIGINT,
  \`window_end\` BIGINT,
  \`user\` STRING,
  \`n\` BIGINT,
  \`total\` DOUBLE
) WITH (
  'connector' = 'filesystem',
  'path' = 'out',
  'format' = 'json'
);

CREATE TEMPORARY VIEW \`big\` AS
SELECT * FROM \`orders\`
WHERE COALESCE((\`amount\` > 100E0), FALSE);

CREATE TEMPORARY VIEW \`per_user\` AS
SELECT window_start, window_end, \`user\`, COUNT(*) AS \`n\`, SUM(\`amount\`) AS \`total\`, window_time AS \`eddy_time\`
FROM TABLE(TUMBLE(TABLE \`big\`, DESCRIPTOR(\`eddy_time\`), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, window_time, \`user\`;

EXECUTE STATEMENT SET
BEGIN
INSERT INTO \`out\`
SELECT (EXTRACT(EPOCH FROM \`window_start\`) * 1000 + EXTRACT(MILLISECOND FROM \`window_start\`)) AS \`window_start\`, (EXTRACT(EPOCH FROM \`window_end\`) * 1000 + EXTRACT(MILLISECOND FROM \`window_end\`)) AS \`window_end\`, \`user\`, \`n\`, \`total\` FROM \`per_user\`;
END;`);
    expect(r.notes.map((n) => n.nodeId)).toEqual(['orders', 'per_user', 'per_user', 'out']);
    expect(syntaxErrors(r.sql)).toEqual([]);
  });

  test('the syntax check catches a broken statement (it is not vacuous)', () => {
    expect(syntaxErrors('CREATE TEMPORARY VIEW `v` AS\nSELECT FROM WHERE x;\n').length).toBeGreaterThan(0);
  });

  test('every NEXMark example translates, and every statement parses as Flink SQL', () => {
    const files = readdirSync(examples).filter((f) => f.endsWith('.json'));
    expect(files.length).toBe(7);
    for (const f of files) {
      const r = translateToFlinkSql(JSON.parse(readFileSync(examples + f, 'utf8')));
      expect(r.problems, f).toEqual([]);
      expect(syntaxErrors(r.sql), f).toEqual([]);
    }
  });

  test('sliding, session and window-join shapes (NEXMark q5, q11, q8)', () => {
    const sql = (f: string) => translateToFlinkSql(JSON.parse(readFileSync(examples + f, 'utf8'))).sql;
    expect(sql('q5.json')).toContain("FROM TABLE(HOP(TABLE `bids`, DESCRIPTOR(`eddy_time`), INTERVAL '2' SECOND, INTERVAL '10' SECOND))");
    expect(sql('q11.json')).toContain("FROM TABLE(SESSION(TABLE `bids` PARTITION BY `bidder`, DESCRIPTOR(`eddy_time`), INTERVAL '2' SECOND))");
    const q8 = sql('q8.json');
    expect(q8).toContain("FROM (SELECT * FROM TABLE(TUMBLE(TABLE `sellers__left`, DESCRIPTOR(`eddy_time`), INTERVAL '10' SECOND))) AS L");
    expect(q8).toContain('ON L.eddy_key = R.eddy_key\n  AND L.window_start = R.window_start AND L.window_end = R.window_end');
  });

  test('templates translate or name the node and the reason', () => {
    const results = Object.fromEntries(TEMPLATES.map((t) => [t.id, translateToFlinkSql(t.document())]));
    for (const [id, r] of Object.entries(results)) expect(syntaxErrors(r.sql), id).toEqual([]);
    expect(results['streaming-etl'].ok).toBe(true);
    expect(results['checkout-personalisation'].ok).toBe(true);
    expect(results['ad-analytics'].problems).toEqual([
      { nodeId: 'campaign', message: expect.stringMatching(/read from 'samples\/campaigns.jsonl'.*lookup table/) },
    ]);
    // The script stops where translation stopped: nothing downstream of the lookup.
    expect(results['ad-analytics'].sql).not.toContain('CREATE TEMPORARY VIEW `per_campaign`');
    expect(results['ad-analytics'].sql).toContain('-- NOT TRANSLATED');
  });
});
