import { describe, expect, it } from 'vitest';
import { validatePipeline } from './validate.js';
import { compileExpression } from '../expr/index.js';

const base = () => ({
  format: 'eddy/pipeline@1', name: 'names',
  nodes: [
    { id: 'src', kind: 'source.generator', params: { scenario: 'clickstream' } } as { id: string; kind: string; params: Record<string, unknown> },
    { id: 'm', kind: 'map', params: { fields: [{ name: 'x', expr: '1' }], keep: true } },
    { id: 'r', kind: 'route', params: { routes: [{ port: 'big', where: 'x > 0' }] } },
    { id: 'w', kind: 'window', params: { size: '1s', keyBy: ['country'], aggregates: [{ name: 'n', fn: 'count' }] } },
  ],
  edges: [{ from: 'src', to: 'm' }, { from: 'm', to: 'r' }, { from: 'r', fromPort: 'big', to: 'w' }],
});
type Doc = ReturnType<typeof base>;

const errorsOf = (mutate: (d: Doc) => void) => {
  const d = base();
  mutate(d);
  return validatePipeline(d).errors.map((e) => `${e.path}: ${e.message}`);
};
const reserved = (name: string) => `'${name}' is a reserved name (as are __proto__, constructor and prototype): choose another`;

describe('reserved names are refused where a pipeline defines a name', () => {
  it('the base document is valid', () => {
    expect(errorsOf(() => {})).toEqual([]);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('%s', (name) => {
    expect(errorsOf((d) => { d.nodes[1].id = name; d.edges[0].to = name; d.edges[1].from = name; })).toEqual([`nodes[1].id: ${reserved(name)}`]);
    expect(errorsOf((d) => { d.nodes[1].params.fields = [{ name, expr: '1' }]; })).toEqual([`nodes[1].params.fields[0].name: ${reserved(name)}`]);
    expect(errorsOf((d) => { d.nodes[2].params.routes = [{ port: name, where: 'true' }]; d.edges[2].fromPort = name; }))
      .toEqual([`nodes[2].params.routes[0].port: ${reserved(name)}`]);
    expect(errorsOf((d) => { d.nodes[3].params.aggregates = [{ name, fn: 'count' }]; })).toEqual([`nodes[3].params.aggregates[0].name: ${reserved(name)}`]);
    expect(errorsOf((d) => { d.nodes[3].params.keyBy = [name]; })).toEqual([`nodes[3].params.keyBy[0]: ${reserved(name)}`]);
    expect(errorsOf((d) => { d.nodes[3].params.keyBy = [`cart.${name}`]; })).toEqual([`nodes[3].params.keyBy[0]: ${reserved(`cart.${name}`)}`]);
  });

  it('other names that objects inherit still work as names (they are not special on records)', () => {
    expect(errorsOf((d) => { d.nodes[1].params.fields = [{ name: 'x', expr: '1' }, { name: 'toString', expr: '1' }, { name: 'valueOf', expr: '2' }]; })).toEqual([]);
  });
});

describe('a record field with such a name, from the data', () => {
  const fromJson = JSON.parse('{"__proto__": 5, "constructor": "c", "toString": "t", "a": {"__proto__": {"b": 1}}}') as Record<string, unknown>;

  it('is read when the record has it as its own field', () => {
    expect(compileExpression('"__proto__" + 1')(fromJson)).toBe(6);
    expect(compileExpression('`constructor`')(fromJson)).toBe('c');
    expect(compileExpression('toString')(fromJson)).toBe('t');
    expect(compileExpression('a.`__proto__`.b')(fromJson)).toBe(1);
  });

  it('is NULL when it does not (never an inherited value)', () => {
    for (const name of ['`__proto__`', '`constructor`', 'toString', 'hasOwnProperty', 'a.constructor', 'a.`__proto__`']) {
      expect(compileExpression(`${name} IS NULL`)({ a: {} }), name).toBe(true);
    }
  });
});
