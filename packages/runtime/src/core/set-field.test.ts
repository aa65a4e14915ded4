import { describe, expect, it } from 'vitest';
import { runPipeline } from '../harness/run-pipeline.js';
import { parseCsvText } from '../connectors/file/csv.js';
import type { Rec } from './batch.js';
import { copyRecord, setField } from './set-field.js';

/** Records as JSON data gives them: `__proto__` and `constructor` are ordinary own fields. */
const fromJson = (text: string) => JSON.parse(text) as Rec;
const own = (r: Rec, name: string) => (Object.hasOwn(r, name) ? r[name] : 'absent');

describe('a data field named __proto__ or constructor', () => {
  it('setField adds it as an own field, never as the prototype', () => {
    const r: Rec = {};
    setField(r, '__proto__', { polluted: true });
    expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
    expect(own(r, '__proto__')).toEqual({ polluted: true });
    expect(JSON.stringify(r)).toBe('{"__proto__":{"polluted":true}}');
  });

  it('copyRecord copies every own field, __proto__ as an own field, never the prototype', () => {
    const plain = fromJson('{"a":1,"b":{"c":2}}');
    const copy = copyRecord(plain);
    expect(copy).toEqual(plain);
    expect(copy).not.toBe(plain);
    copy.a = 5;
    expect(plain.a).toBe(1);
    const tricky = fromJson('{"__proto__":{"polluted":true},"constructor":"c","x":1}');
    const c2 = copyRecord(tricky);
    expect(Object.getPrototypeOf(c2)).toBe(Object.prototype);
    expect(own(c2, '__proto__')).toEqual({ polluted: true });
    expect(Object.keys(c2)).toEqual(['__proto__', 'constructor', 'x']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('passes map (keep), filter and a join unchanged, in both modes', async () => {
    const doc = {
      format: 'eddy/pipeline@1', name: 'proto',
      nodes: [
        { id: 'left', kind: 'source.file', params: { path: 'unused.jsonl', eventTime: { field: 'ts' } } },
        { id: 'right', kind: 'source.file', params: { path: 'unused.jsonl', eventTime: { field: 'ts' } } },
        { id: 'm', kind: 'map', params: { fields: [{ name: 'p1', expr: '"__proto__" + 1' }], keep: true } },
        { id: 'f', kind: 'filter', params: { where: '`constructor` = \'c\'' } },
        { id: 'j', kind: 'join', params: { leftKey: 'k', rightKey: 'k', within: '10s' } },
      ],
      edges: [{ from: 'left', to: 'm' }, { from: 'm', to: 'f' }, { from: 'f', to: 'j', toPort: 'left' }, { from: 'right', to: 'j', toPort: 'right' }],
    };
    for (const mode of ['native', 'microbatch'] as const) {
      const r = await runPipeline(doc, {
        left: [fromJson('{"ts": 1000, "k": 1, "__proto__": 5, "constructor": "c"}'), fromJson('{"ts": 2000, "k": 2, "constructor": "x"}')],
        right: [fromJson('{"ts": 1500, "k": 1, "__proto__": {"evil": true}, "v": "r"}')],
      }, { mode, batchIntervalMs: 5 });
      expect(r.outputs.m.map((x) => [own(x, '__proto__'), x.p1])).toEqual([[5, 6], ['absent', null]]);
      expect(r.outputs.f).toHaveLength(1);
      const [joined] = r.outputs.j;
      expect(Object.getPrototypeOf(joined)).toBe(Object.prototype);
      expect(own(joined, '__proto__')).toBe(5);
      expect(own(joined, 'right___proto__')).toEqual({ evil: true });
      expect({ constructor: joined.constructor, v: joined.v, p1: joined.p1 }).toEqual({ constructor: 'c', v: 'r', p1: 6 });
      expect(({} as { evil?: boolean }).evil).toBeUndefined();
    }
  });

  it('a CSV column named __proto__ is a field', () => {
    const [row] = parseCsvText('id,__proto__\n1,x\n');
    expect(own(row, '__proto__')).toBe('x');
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
  });
});
