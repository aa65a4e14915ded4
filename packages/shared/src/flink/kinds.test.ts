import { describe, expect, test } from 'vitest';
import { translateToFlinkSql } from './translate.js';

const doc = (nodes: unknown[], edges: [string, string, string?, string?][]) => ({
  format: 'eddy/pipeline@1', name: 'Kinds',
  nodes,
  edges: edges.map(([from, to, fromPort, toPort]) => ({ from, to, ...(fromPort && { fromPort }), ...(toPort && { toPort }) })),
});
const src = (id: string, fields: [string, string][] = [['ts', 'number'], ['user', 'string'], ['amount', 'number'], ['ad', 'string']]) => ({
  id, kind: 'source.file',
  params: { path: `${id}.jsonl`, eventTime: { field: 'ts', maxOutOfOrderness: '0ms' }, fields: fields.map(([name, type]) => ({ name, type })) },
});
const log = (id: string) => ({ id, kind: 'sink.log', params: {} });
/** The view a node defines, as text. */
const viewOf = (sql: string, name: string) => {
  const start = sql.indexOf(`CREATE TEMPORARY VIEW \`${name}\` AS\n`);
  return start < 0 ? '' : sql.slice(start, sql.indexOf(';\n', start) + 1);
};

describe('Flink SQL per kind', () => {
  test('whole numbers are BIGINT: declared integer fields, counts, sums of integers, bare copies; averages are DOUBLE', () => {
    const { sql, ok } = translateToFlinkSql(doc([src('s', [['ts', 'number'], ['id', 'integer'], ['amount', 'number']]),
      { id: 'm', kind: 'map', params: { keep: false, fields: [{ name: 'id', expr: 'id' }, { name: 'half', expr: 'id / 2' }, { name: 'amount', expr: 'amount' }] } },
      { id: 'w', kind: 'window', params: { size: '1m', keyBy: ['id'], aggregates: [{ name: 'n', fn: 'count' }, { name: 'ids', fn: 'sum', field: 'id' },
        { name: 'mean', fn: 'avg', field: 'id' }, { name: 'halves', fn: 'sum', field: 'half' }] } },
      { id: 'o', kind: 'sink.file', params: { path: 'o' } },
    ], [['s', 'm'], ['m', 'w'], ['w', 'o']]));
    expect(ok).toBe(true);
    expect(sql).toContain('`id` BIGINT,\n  `amount` DOUBLE');
    expect(sql).toContain('AVG(CAST(`id` AS DOUBLE)) AS `mean`');
    expect(sql).toMatch(/CREATE TABLE `o` \(\n {2}`window_start` BIGINT,\n {2}`window_end` BIGINT,\n {2}`id` BIGINT,\n {2}`n` BIGINT,\n {2}`ids` BIGINT,\n {2}`mean` DOUBLE,\n {2}`halves` DOUBLE/);
  });

  test('a window over a window renames the inner window\'s bounds (the TVF adds its own)', () => {
    const { sql, ok } = translateToFlinkSql(doc([src('s'),
      { id: 'w1', kind: 'window', params: { size: '1s', aggregates: [{ name: 'n', fn: 'count' }] } },
      { id: 'w2', kind: 'window', params: { size: '10s', aggregates: [{ name: 'total', fn: 'sum', field: 'n' }, { name: 'first', fn: 'min', field: 'window_start' }] } },
      log('o'),
    ], [['s', 'w1'], ['w1', 'w2'], ['w2', 'o']]));
    expect(ok).toBe(true);
    expect(viewOf(sql, 'w2__keyed')).toContain('`window_start` AS `eddy_in_window_start`, `window_end` AS `eddy_in_window_end`, `n`, `eddy_time`');
    expect(viewOf(sql, 'w2')).toContain('MIN(`eddy_in_window_start`) AS `first`');
  });

  test('kafka: exactly-once gives a transactional sink, a group starts at its offsets and commits on checkpoints', () => {
    const kafka = (group?: string) => ({ id: 'k', kind: 'source.kafka', params: { brokers: 'b:9092', topic: 'in', startAt: 'latest', ...(group && { group }),
      fields: [{ name: 'user', type: 'string' }] } });
    const out = { id: 'o', kind: 'sink.kafka', params: { brokers: 'b:9092', topic: 'out' } };
    const once = translateToFlinkSql({ ...doc([kafka('billing'), out], [['k', 'o']]), name: 'Orders EU', settings: { guarantee: 'exactly-once' } });
    expect(once.ok).toBe(true);
    expect(once.sql).toContain("'sink.delivery-guarantee' = 'exactly-once'");
    expect(once.sql).toContain("'sink.transactional-id-prefix' = 'eddy.Orders_EU.o'");
    expect(once.sql).toContain("'properties.transaction.timeout.ms' = '900000'");
    expect(once.sql).toContain("'properties.group.id' = 'billing'");
    expect(once.sql).toContain("'scan.startup.mode' = 'group-offsets'");
    expect(once.sql).toContain("'properties.auto.offset.reset' = 'latest'");
    expect(once.sql).toContain("'properties.isolation.level' = 'read_committed'");
    const least = translateToFlinkSql({ ...doc([kafka(), out], [['k', 'o']]), settings: { guarantee: 'at-least-once' } });
    expect(least.sql).toContain("'sink.delivery-guarantee' = 'at-least-once'");
    expect(least.sql).not.toContain('transactional-id-prefix');
    expect(least.sql).not.toContain('properties.group.id');
    expect(least.sql).toContain("'scan.startup.mode' = 'latest-offset'");
  });

  test('route: first match excludes earlier routes, default takes what none matched', () => {
    const { sql } = translateToFlinkSql(doc([src('s'),
      { id: 'r', kind: 'route', params: { routes: [{ port: 'big', where: 'amount > 100' }, { port: 'mid', where: 'amount > 10' }] } },
      log('a'), log('b'), log('c'),
    ], [['s', 'r'], ['r', 'a', 'big'], ['r', 'b', 'mid'], ['r', 'c', 'default']]));
    expect(viewOf(sql, 'r__mid')).toContain('WHERE COALESCE((`amount` > 10E0), FALSE) AND NOT COALESCE((`amount` > 100E0), FALSE);');
    expect(viewOf(sql, 'r__default')).toContain('WHERE NOT (COALESCE((`amount` > 100E0), FALSE) OR COALESCE((`amount` > 10E0), FALSE));');
  });

  test('union pads a field one input lacks with a typed NULL', () => {
    const { sql, ok } = translateToFlinkSql(doc([src('a'), src('b', [['ts', 'number'], ['user', 'string']]),
      { id: 'u', kind: 'union', params: {} }, log('o'),
    ], [['a', 'u'], ['b', 'u'], ['u', 'o']]));
    expect(ok).toBe(true);
    expect(viewOf(sql, 'u')).toContain('SELECT `ts`, `user`, CAST(NULL AS DOUBLE) AS `amount`, CAST(NULL AS STRING) AS `ad`, `eddy_time` FROM `b`');
  });

  test('lookup with inline rows becomes a CASE per column; drop filters misses', () => {
    const { sql, ok } = translateToFlinkSql(doc([src('s'),
      { id: 'l', kind: 'lookup', params: { keyField: 'ad', key: 'ad', fields: ['campaign'], onMiss: 'drop',
        rows: [{ ad: 'a1', campaign: 'c1' }, { ad: "a'2", campaign: 'c2' }] } }, log('o'),
    ], [['s', 'l'], ['l', 'o']]));
    expect(ok).toBe(true);
    expect(viewOf(sql, 'l')).toContain("CASE `ad` WHEN 'a1' THEN 'c1' WHEN 'a''2' THEN 'c2' ELSE NULL END AS `campaign`");
    expect(viewOf(sql, 'l')).toContain("WHERE `ad` IN ('a1', 'a''2')");
  });

  test('score: a tree ensemble becomes nested CASE with the missing branch, under the logistic link', () => {
    const { sql, ok } = translateToFlinkSql(doc([src('s'),
      { id: 'm', kind: 'score', params: { features: [{ name: 'x', expr: 'amount' }], output: 'p', classOutput: 'buy', model: {
        type: 'tree-ensemble', objective: 'binary:logistic', baseScore: 0.5,
        trees: [{ nodes: [{ feature: 'x', threshold: 10, left: 1, right: 2, missing: 'right' }, { leaf: -1 }, { leaf: 2 }] }] } } },
      log('o'),
    ], [['s', 'm'], ['m', 'o']]));
    expect(ok).toBe(true);
    const tree = 'CASE WHEN `f_x` IS NULL THEN 2.0 WHEN `f_x` < 10.0 THEN -1.0 ELSE 2.0 END';
    expect(viewOf(sql, 'm')).toContain(`1.0 / (1.0 + EXP(-(0.5 + ${tree}))) AS \`p\``);
    expect(viewOf(sql, 'm__features')).toContain('CAST(`amount` AS DOUBLE) AS `f_x`');
  });

  test('score: an ONNX model is refused (Flink SQL has no ONNX runtime), with the way out', () => {
    const r = translateToFlinkSql(doc([src('s'),
      { id: 'm', kind: 'score', params: { features: [{ name: 'x', expr: 'amount' }], model: { type: 'onnx', path: 'models/m.onnx' } } },
      log('o'),
    ], [['s', 'm'], ['m', 'o']]));
    expect(r.problems).toEqual([{ nodeId: 'm', message: expect.stringMatching(/no ONNX runtime: score 'models\/m.onnx' in a Flink UDF/) }]);
  });

  test('score: a challenger or drift is refused (model metrics live in the embedded engine), naming them', () => {
    const r = translateToFlinkSql(doc([src('s'),
      { id: 'm', kind: 'score', params: { features: [{ name: 'x', expr: 'amount' }], model: { type: 'linear', weights: { x: 1 } },
        challenger: { type: 'linear', weights: { x: 2 } }, drift: {} } },
      log('o'),
    ], [['s', 'm'], ['m', 'o']]));
    expect(r.problems).toEqual([{ nodeId: 'm', message: expect.stringMatching(/no model metrics: `challenger`, `drift` run on the embedded engine only/) }]);
  });

  test('postgres upsert: a JDBC table with the key as primary key', () => {
    const { sql, ok } = translateToFlinkSql(doc([src('s'),
      { id: 'pg', kind: 'sink.postgres', params: { url: 'postgres://eddy@db:5432/shop', table: 'totals', mode: 'upsert', key: ['user'] } },
    ], [['s', 'pg']]));
    expect(ok).toBe(true);
    expect(sql).toContain("  PRIMARY KEY (`user`) NOT ENFORCED\n) WITH (\n  'connector' = 'jdbc',\n  'table-name' = 'totals',\n  'url' = 'jdbc:postgresql://db:5432/shop?user=eddy'\n);");
  });

  test('map keep: a computed field replaces the input column of that name; a copied window bound keeps its Flink type (written as epoch ms)', () => {
    const { sql } = translateToFlinkSql(doc([src('s'),
      { id: 'w', kind: 'window', params: { size: '10s', aggregates: [{ name: 'n', fn: 'count' }] } },
      { id: 'm', kind: 'map', params: { keep: true, fields: [{ name: 'n', expr: 'n * 2' }, { name: 'start', expr: 'window_start' }] } },
      log('o'),
    ], [['s', 'w'], ['w', 'm'], ['m', 'o']]));
    expect(viewOf(sql, 'm')).toContain('SELECT `window_start`, `window_end`, (`n` * 2E0) AS `n`, `window_start` AS `start`, `eddy_time`');
    expect(sql).toContain('  `start` BIGINT');
    expect(sql).toContain('(EXTRACT(EPOCH FROM `start`) * 1000 + EXTRACT(MILLISECOND FROM `start`)) AS `start`');
  });

  test('what Flink SQL cannot do is refused with the node and the reason, and nothing downstream is emitted', () => {
    const r = translateToFlinkSql(doc([src('s'),
      { id: 'w', kind: 'window', params: { size: '10s', aggregates: [{ name: 'n', fn: 'count' }] } },
      { id: 'f', kind: 'filter', params: { where: 'n > 1' } },
      log('late_log'), { id: 'hook', kind: 'sink.webhook', params: { url: 'http://localhost:9/x' } }, log('o'),
    ], [['s', 'w'], ['w', 'f'], ['f', 'o'], ['w', 'late_log', 'late'], ['s', 'hook']]));
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      { nodeId: 'w', message: expect.stringMatching(/late port is connected.*no side output/) },
      { nodeId: 'hook', message: expect.stringMatching(/no built-in HTTP sink/) },
    ]);
    expect(r.sql).not.toMatch(/VIEW `f`|TABLE `o`|TABLE `hook`/);
    expect(r.sql).toContain('CREATE TABLE `s`');
  });

  test('a window with allowedLateness is refused: Flink SQL would give other rows in either emit mode', () => {
    for (const emit of ['final', 'updates']) {
      const r = translateToFlinkSql(doc([src('s'),
        { id: 'w', kind: 'window', params: { size: '10s', allowedLateness: '5s', emit, aggregates: [{ name: 'n', fn: 'count' }] } }, log('o'),
      ], [['s', 'w'], ['w', 'o']]));
      expect(r.ok).toBe(false);
      expect(r.problems).toEqual([{ nodeId: 'w', message: expect.stringMatching(new RegExp(`allowedLateness 5s \\(emit ${emit}\\).*use 0ms`)) }]);
    }
  });

  test('an invalid document gives its validation errors, not a script', () => {
    const r = translateToFlinkSql(doc([src('s'), { id: 'f', kind: 'filter', params: { where: 'nope > 1' } }, log('o')], [['s', 'f'], ['f', 'o']]));
    expect(r.ok).toBe(false);
    expect(r.sql).toBe('');
    expect(r.problems).toEqual([{ nodeId: 'f', message: expect.stringMatching(/params.where: Unknown field 'nope'/) }]);
  });
});

describe('Flink SQL for remote lookups', () => {
  const enrich = (params: object) => translateToFlinkSql(doc([src('s'),
    { id: 'l', kind: 'lookup', params: { keyField: 'user_id', key: 'user', fields: ['segment'], ...params } }, log('o'),
  ], [['s', 'l'], ['l', 'o']]));

  test('postgres: a JDBC dimension table and a processing-time lookup join, with its cache', () => {
    const r = enrich({ store: 'postgres', url: 'postgres://eddy@db:5432/crm', table: 'users', cacheTtl: '1m' });
    expect(r.problems).toEqual([]);
    expect(r.sql).toContain("CREATE TABLE `l__table` (\n  `user_id` STRING,\n  `segment` STRING\n) WITH (\n  'connector' = 'jdbc',\n  'url' = 'jdbc:postgresql://db:5432/crm?user=eddy',\n  'table-name' = 'users',\n  'lookup.cache' = 'PARTIAL'");
    expect(viewOf(r.sql, 'l')).toContain('LEFT JOIN `l__table` FOR SYSTEM_TIME AS OF L.eddy_proc AS D\n  ON L.eddy_key = D.`user_id`');
  });

  test('redis has no Flink connector: refused with the way out', () => {
    const r = enrich({ store: 'redis', url: 'redis://127.0.0.1:6379' });
    expect(r.problems).toEqual([{ nodeId: 'l', message: expect.stringMatching(/no built-in Redis lookup connector/) }]);
  });
});
