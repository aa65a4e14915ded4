import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileExpression, type RecordSchema } from '@eddy/shared';
import { FIELDS, genExpr, genRecord, rng, type Ty } from '../test-utils/oracle-gen.js';

/**
 * Oracle: random well-typed expressions over records with NULLs, evaluated by Eddy's
 * compiled closure and by PostgreSQL, on constructs where SQL, Flink and PostgreSQL agree.
 * PostgreSQL must be reachable: this test fails, never skips, without it.
 */
const URL = process.env.EDDY_ORACLE_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const schema: RecordSchema = {
  fields: Object.fromEntries(Object.entries(FIELDS).map(([k, t]) => [k, { type: t === 'num' ? 'number' : t === 'str' ? 'string' : 'boolean' }])),
};

let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: URL });
  await client.connect();
});
afterAll(async () => { await client?.end(); });

const same = (a: unknown, b: unknown): boolean => {
  if (typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  return a === b;
};

describe('expressions against PostgreSQL', () => {
  it('agree on a few hundred random expressions and records', async () => {
    const r = rng(20240301);
    const mismatches: string[] = [];
    let cases = 0;
    for (let i = 0; i < 120; i++) {
      const ty: Ty = (['num', 'str', 'bool'] as const)[i % 3];
      const e = genExpr(r, ty, 3);
      const eddy = compileExpression(e.eddy, schema);
      for (let j = 0; j < 4; j++) {
        const rec = genRecord(r);
        const sql = `SELECT ${e.pg} AS v FROM (SELECT $1::float8 AS a, $2::float8 AS b, $3::text AS s, $4::text AS t, $5::boolean AS p) AS r`;
        const { rows } = await client.query<{ v: unknown }>(sql, [rec.a, rec.b, rec.s, rec.t, rec.p]);
        const want = rows[0].v;
        const got = eddy(rec);
        cases++;
        if (!same(got, want)) mismatches.push(`${e.eddy} on ${JSON.stringify(rec)}: eddy ${JSON.stringify(got)}, postgres ${JSON.stringify(want)}`);
      }
    }
    expect(cases).toBeGreaterThanOrEqual(400);
    expect(mismatches.slice(0, 10)).toEqual([]);
  });
});
