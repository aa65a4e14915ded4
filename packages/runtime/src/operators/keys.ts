/**
 * The string form of a key value for maps and state: a string as-is (the common case),
 * anything else as JSON behind a NUL, which keeps 1 and '1' apart.
 */
export const keyString = (v: unknown): string => (typeof v === 'string' ? v : `\u0000${JSON.stringify(v)}`);
