/** Durations in documents are strings: `500ms`, `10s`, `5m`, `4h`, `1d` (also plain ms numbers). */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION_RE = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/;

export function parseDuration(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new Error(`Invalid duration ${value}`);
    return value;
  }
  const m = DURATION_RE.exec(value);
  if (!m) throw new Error(`Invalid duration '${value}': use a number and a unit, e.g. 500ms, 10s, 5m, 4h, 1d`);
  return Math.round(Number(m[1]) * UNIT_MS[m[2]]);
}

export function isDuration(value: unknown): boolean {
  return typeof value === 'string' ? DURATION_RE.test(value) : typeof value === 'number' && value >= 0;
}

export function formatDuration(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
