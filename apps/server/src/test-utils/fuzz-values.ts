// Arbitraries for the fuzz suite: the values a careless user or an attacker puts where a
// parameter goes (wrong types, extreme numbers, odd durations, deep nesting, prototype keys,
// very long and non-BMP text).
import fc from 'fast-check';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Keys that break naive object handling, plus the names the format uses. */
export const weirdKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__',
    '', ' ', '0', '-1', 'length', 'id', 'kind', 'params', 'where', 'expr', 'size', 'slide', 'gap', 'keyBy', 'fields',
    'aggregates', 'routes', 'port', 'name', 'fn', 'field', 'within', 'limit', 'maxRows', 'path', 'eventTime', 'model'),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

/** Sets an own property even for `__proto__` (plain assignment would change the prototype instead). */
export function setOwn(target: Record<string, Json>, key: string, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export const extremeNumber = fc.oneof(
  fc.constantFrom(0, -0, -1, 1, 0.5, -0.5, 1e308, -1e308, 5e-324, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e21, 1e100, 4e9),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

export const duration = fc.oneof(
  fc.constantFrom('0ms', '0s', '-1s', '1ms', '10m', '1e400ms', 'NaN', 'Infinity', '-Infinity', '1.5.5s', '10 s', ' 10s', '10s ',
    '10x', 'ms', '', '0x10s', '1_000ms', '99999999999999999999d', '9'.repeat(400), `${'9'.repeat(400)}ms`, '1h30m', 'P1D', '1y', '1w',
    '2024-01-01T00:00:00Z', '١٠s'),
  fc.tuple(extremeNumber, fc.constantFrom('ms', 's', 'm', 'h', 'd', 'w', 'y', '', ' s', 'S', 'MS')).map(([n, u]) => `${n}${u}`),
);

export const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('\u0000', '\uD800', '\uDFFF', '😀'.repeat(1000), '\u202E', "'; DROP TABLE x; --", '../../etc/passwd', '/etc/passwd',
    '/proc/self/environ', 'C:\\Windows\\win.ini', '%00', '${PATH}', '{{x}}', "amount > 10 OR '1'='1'"),
  fc.integer({ min: 10_000, max: 300_000 }).map((n) => 'x'.repeat(n)),
);

/** `{ $deep }` is a marker: the caller splices a nested text of that depth into the JSON. */
export const deepMarker = fc.record({ $deep: fc.record({ depth: fc.integer({ min: 100, max: 60_000 }), shape: fc.constantFrom('array' as const, 'object' as const) }) });

export function deepNesting({ depth, shape }: { depth: number; shape: 'array' | 'object' }): string {
  return shape === 'array' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

const weirdObject: fc.Arbitrary<Json> = fc.array(fc.tuple(weirdKey, fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>), { maxLength: 5 }).map((entries) => {
  const o: Record<string, Json> = {};
  for (const [k, v] of entries) setOwn(o, k, v);
  return o;
});

/** A value to put where a parameter goes. */
export const weirdValue: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  extremeNumber,
  duration,
  text,
  weirdObject,
  fc.array(fc.oneof(extremeNumber, duration, text) as fc.Arbitrary<Json>, { maxLength: 5 }),
  fc.integer({ min: 1000, max: 20_000 }).map((n) => Array.from({ length: n }, (_, i) => i) as Json),
  deepMarker as unknown as fc.Arbitrary<Json>,
);
