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
  const ms = Math.round(Number(m[1]) * UNIT_MS[m[2]]);
  if (!Number.isFinite(ms)) throw new Error(`Invalid duration '${value}': too long`);
  return ms;
}

/** The longest duration a document may name: a year. Longer ones are typos or would keep state forever. */
export const MAX_DURATION_MS = 365 * 86_400_000;

/**
 * Why a duration param is not acceptable (not a duration, or outside [min, max]), with the
 * limit in the words; undefined when it is fine.
 */
export function durationProblem(value: string, min = 0, max = MAX_DURATION_MS): string | undefined {
  const m = DURATION_RE.exec(value);
  if (!m) return 'A duration such as 500ms, 10s, 5m, 4h or 1d';
  const ms = Math.round(Number(m[1]) * UNIT_MS[m[2]]); // a 400-digit number is Infinity: too long
  if (!(ms <= max)) return `At most ${formatDuration(max)}, got '${value.trim()}'`;
  if (ms < min) return min === 1 ? `Must be longer than 0ms, got '${value.trim()}'` : `At least ${formatDuration(min)}, got '${value.trim()}'`;
  return undefined;
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
