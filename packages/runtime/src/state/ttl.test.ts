import { describe, expect, it } from 'vitest';
import { MemoryStateBackend } from './keyed-state.js';
import { TtlKeyedMap, withTtl } from './ttl.js';

describe('state TTL', () => {
  it('drops keys neither read nor written for the TTL; reads keep a key alive', () => {
    let now = 0;
    const inner = new MemoryStateBackend().map<number>('m');
    const m = new TtlKeyedMap(inner, 100, () => now);
    m.set('a', 1);
    m.set('b', 2);
    now = 60;
    expect(m.get('a')).toBe(1); // a touched at 60
    m.set('c', 3);
    now = 120;
    expect(m.sweep()).toBe(1); // b idle since 0
    expect([...m.entries()].map(([k]) => k).sort()).toEqual(['a', 'c']);
    now = 200;
    expect(m.sweep()).toBe(2);
    expect(m.size).toBe(0);
  });

  it('a backend with TTL sweeps between operator calls and counts what is left', () => {
    let now = 0;
    const backend = withTtl(new MemoryStateBackend(), 1000, () => now);
    const m = backend.map<string>('seen');
    for (let i = 0; i < 10; i++) m.set(`k${i}`, 'x');
    now = 500;
    m.get('k3');
    now = 1300;
    backend.settle!();
    expect(backend.keyCount()).toBe(1);
    expect(m.get('k3')).toBe('x');
  });
});
