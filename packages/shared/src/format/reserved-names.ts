/**
 * Names every JavaScript object already has. A node id, port or output field with such a
 * name would set an object's prototype (`__proto__`) or read an inherited value where
 * records, metrics and outputs are built by name, so such names are refused wherever a
 * pipeline defines a name. (A field with such a name that arrives in the data passes
 * through untouched.)
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export const isReservedName = (name: string): boolean => RESERVED_NAMES.has(name);

export const reservedNameMessage = (name: string): string =>
  `'${name}' is a reserved name (as are __proto__, constructor and prototype): choose another`;
