// Test helper: random well-typed expressions written twice, as Eddy text and as PostgreSQL
// text, restricted to constructs where SQL, Flink and PostgreSQL agree on the answer.

export type Ty = 'num' | 'str' | 'bool';
export interface Gen { eddy: string; pg: string }

export { seeded as rng } from './reference.js';

export const FIELDS = { a: 'num', b: 'num', s: 'str', t: 'str', p: 'bool' } as const;
const NUM_LITS = ['0', '1', '2', '3', '0.5', '1.5', '2.25', '10', '1.005', '2.675', '5.015', '0.1', '0.2'];
const STR_LITS = ["'a'", "'ab'", "' x '", "'é😀'", "'B'", "''", "'ab c'"];
const LIKE_PATS = ["'a%'", "'_b%'", "'%😀%'", "'_'", "'%'", "'a_'", "'%c'", "'%%a%%'", "'%_%_'", "'%a%b%'", "'_%_'", "'%x%'", "''"];

export function genExpr(r: () => number, ty: Ty, depth: number): Gen {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const leaf = depth <= 0 || r() < 0.25;
  const g = (t: Ty) => genExpr(r, t, depth - 1);
  if (ty === 'num') {
    if (leaf) {
      if (r() < 0.5) { const f = pick(['a', 'b']); return { eddy: f, pg: f }; }
      const l = pick(NUM_LITS);
      return r() < 0.2 ? { eddy: `(-${l})`, pg: `(-${l}::float8)` } : { eddy: l, pg: `${l}::float8` };
    }
    switch (Math.floor(r() * 8)) {
      case 0: case 1: {
        const op = pick(['+', '-', '*']); const x = g('num'); const y = g('num');
        return { eddy: `(${x.eddy} ${op} ${y.eddy})`, pg: `(${x.pg} ${op} ${y.pg})` };
      }
      case 2: { const x = g('num'); const y = g('num'); return { eddy: `(${x.eddy} / ${y.eddy})`, pg: `(${x.pg} / NULLIF(${y.pg}, 0))` }; }
      case 3: { const x = g('num'); return { eddy: `ABS(${x.eddy})`, pg: `abs(${x.pg})` }; }
      case 4: {
        const x = g('num'); const d = pick([0, 1, 2, 3]);
        return { eddy: `ROUND(${x.eddy}, ${d})`, pg: `round((${x.pg})::text::numeric, ${d})::float8` };
      }
      case 5: { const x = g('num'); const y = g('num'); return { eddy: `COALESCE(${x.eddy}, ${y.eddy})`, pg: `COALESCE(${x.pg}, ${y.pg})` }; }
      case 6: { const c = g('bool'); const x = g('num'); const y = g('num'); return { eddy: `CASE WHEN ${c.eddy} THEN ${x.eddy} ELSE ${y.eddy} END`, pg: `CASE WHEN ${c.pg} THEN ${x.pg} ELSE ${y.pg} END` }; }
      default: { const x = g('str'); return { eddy: `CHAR_LENGTH(${x.eddy})`, pg: `char_length(${x.pg})::float8` }; }
    }
  }
  if (ty === 'str') {
    if (leaf) {
      if (r() < 0.5) { const f = pick(['s', 't']); return { eddy: f, pg: f }; }
      const l = pick(STR_LITS); return { eddy: l, pg: `${l}::text` };
    }
    switch (Math.floor(r() * 6)) {
      case 0: { const x = g('str'); return { eddy: `LOWER(${x.eddy})`, pg: `lower(${x.pg})` }; }
      case 1: { const x = g('str'); return { eddy: `UPPER(${x.eddy})`, pg: `upper(${x.pg})` }; }
      case 2: { const x = g('str'); const y = g('str'); return { eddy: `CONCAT(${x.eddy}, ${y.eddy})`, pg: `(${x.pg} || ${y.pg})` }; }
      case 3: { const x = g('str'); const y = g('str'); return { eddy: `(${x.eddy} || ${y.eddy})`, pg: `(${x.pg} || ${y.pg})` }; }
      case 4: { const x = g('str'); return { eddy: `TRIM(${x.eddy})`, pg: `trim(${x.pg})` }; }
      default: {
        const x = g('str'); const from = pick([1, 2, 3, 5]); const len = pick([0, 1, 2, 4, null]);
        return len === null
          ? { eddy: `SUBSTRING(${x.eddy}, ${from})`, pg: `substring(${x.pg} from ${from})` }
          : { eddy: `SUBSTRING(${x.eddy}, ${from}, ${len})`, pg: `substring(${x.pg} from ${from} for ${len})` };
      }
    }
  }
  if (leaf) {
    const v = pick(['p', 'TRUE', 'FALSE', 'p']); return { eddy: v, pg: v };
  }
  switch (Math.floor(r() * 9)) {
    case 0: case 1: {
      const op = pick(['AND', 'OR']); const x = g('bool'); const y = g('bool');
      return { eddy: `(${x.eddy} ${op} ${y.eddy})`, pg: `(${x.pg} ${op} ${y.pg})` };
    }
    case 2: { const x = g('bool'); return { eddy: `(NOT ${x.eddy})`, pg: `(NOT ${x.pg})` }; }
    case 3: {
      const op = pick(['=', '<>', '<', '<=', '>', '>=']); const x = g('num'); const y = g('num');
      return { eddy: `(${x.eddy} ${op} ${y.eddy})`, pg: `(${x.pg} ${op} ${y.pg})` };
    }
    case 4: {
      const op = pick(['=', '<>', '<', '>=']); const x = g('str'); const y = g('str');
      return { eddy: `(${x.eddy} ${op} ${y.eddy})`, pg: `((${x.pg}) COLLATE "C" ${op} (${y.pg}))` };
    }
    case 5: {
      const not = r() < 0.3 ? ' NOT' : ''; const x = g('num'); const lo = g('num'); const hi = g('num');
      return { eddy: `(${x.eddy}${not} BETWEEN ${lo.eddy} AND ${hi.eddy})`, pg: `(${x.pg}${not} BETWEEN ${lo.pg} AND ${hi.pg})` };
    }
    case 6: {
      const not = r() < 0.3 ? ' NOT' : ''; const x = g('num');
      const items = Array.from({ length: 1 + Math.floor(r() * 3) }, () => (r() < 0.25 ? { eddy: 'NULL', pg: 'NULL::float8' } : g('num')));
      return { eddy: `(${x.eddy}${not} IN (${items.map((i) => i.eddy).join(', ')}))`, pg: `(${x.pg}${not} IN (${items.map((i) => i.pg).join(', ')}))` };
    }
    case 7: {
      const not = r() < 0.3 ? ' NOT' : ''; const x = g('str'); const pat = pick(LIKE_PATS);
      return { eddy: `(${x.eddy}${not} LIKE ${pat})`, pg: `(${x.pg}${not} LIKE ${pat})` };
    }
    default: {
      const x = g(pick(['num', 'str', 'bool'] as const)); const not = r() < 0.5 ? ' NOT' : '';
      return { eddy: `(${x.eddy} IS${not} NULL)`, pg: `(${x.pg} IS${not} NULL)` };
    }
  }
}

/** A record with NULLs now and then. */
export function genRecord(r: () => number): { a: number | null; b: number | null; s: string | null; t: string | null; p: boolean | null } {
  const maybe = <T>(v: T): T | null => (r() < 0.25 ? null : v);
  const nums = [0, 1, -1, 2.5, -2.5, 0.1, 3, 1.005, 7, -0.5, 100];
  const strs = ['a', 'ab', 'abc', ' a b ', 'é😀', 'B', '', '😀b', 'xa'];
  return {
    a: maybe(nums[Math.floor(r() * nums.length)]), b: maybe(nums[Math.floor(r() * nums.length)]),
    s: maybe(strs[Math.floor(r() * strs.length)]), t: maybe(strs[Math.floor(r() * strs.length)]), p: maybe(r() < 0.5),
  };
}
