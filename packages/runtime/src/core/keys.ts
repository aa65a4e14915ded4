/**
 * The string form of a key value for maps and state: a string as-is (the common case),
 * anything else as JSON behind a NUL, which keeps 1 and '1' apart. A finite number skips
 * JSON.stringify (same text, far cheaper per record).
 */
export const keyString = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? `\u0000${v}` : `\u0000${JSON.stringify(v)}`;
