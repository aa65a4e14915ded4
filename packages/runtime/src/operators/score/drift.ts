import { parseDuration } from '@eddy/shared';

/** One column's reference: inner bin edges (bin i holds edges[i-1] ≤ v < edges[i]) and each bin's share. */
export interface ReferenceBins { edges: number[]; proportions: number[] }
export type Reference = Record<string, ReferenceBins>;

/** Shares below this count as this in PSI, so an empty bin gives a large but finite term (the usual floor). */
export const PSI_FLOOR = 1e-4;

/** Population stability index: Σ (actual − expected) · ln(actual / expected) over the bins. */
export function psi(expected: readonly number[], actual: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(PSI_FLOOR, expected[i]);
    const a = Math.max(PSI_FLOOR, actual[i]);
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}

/** The bin of a value: how many edges are ≤ it. */
export function binOf(edges: readonly number[], v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid] <= v) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/** Bins from a sample: its quantiles at 1/bins … (bins−1)/bins as edges (each above the last), and the sample's share in each. */
export function binsFromSample(values: number[], bins: number): ReferenceBins | null {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (!sorted.length) return null;
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    // A quantile on a repeated value moves up to the next distinct one, so a frequent value
    // does not swallow the rarer ones above it.
    const floor = edges.length ? edges[edges.length - 1] : sorted[0];
    let i = Math.min(sorted.length - 1, Math.floor((k * sorted.length) / bins));
    if (sorted[i] <= floor) i = binOf(sorted, floor);
    if (i >= sorted.length) break;
    edges.push(sorted[i]);
  }
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const v of sorted) counts[binOf(edges, v)]++;
  return { edges, proportions: counts.map((c) => c / sorted.length) };
}

/**
 * Reads a reference file: `{ "bins": { "<column>": { "edges": [...], "counts": [...] } } }`,
 * counts one more than edges, edges ascending. Throws a sentence saying what is wrong.
 */
export function parseReference(json: unknown): Reference {
  const bins = (json as { bins?: unknown } | null)?.bins;
  if (typeof bins !== 'object' || bins === null) throw new Error('a drift reference needs `bins`: { "<feature>": { "edges": [...], "counts": [...] } }');
  const out: Reference = {};
  for (const [column, b] of Object.entries(bins as Record<string, { edges?: unknown; counts?: unknown }>)) {
    const { edges, counts } = b ?? {};
    const numbers = (x: unknown): x is number[] => Array.isArray(x) && x.every((v) => typeof v === 'number' && Number.isFinite(v));
    if (!numbers(edges) || !numbers(counts) || counts.length !== edges.length + 1 || edges.some((e, i) => i > 0 && e <= edges[i - 1])) {
      throw new Error(`drift reference '${column}': give ascending \`edges\` and \`counts\` with one count more than edges`);
    }
    const total = counts.reduce((a, c) => a + c, 0);
    if (total <= 0) throw new Error(`drift reference '${column}': the counts add up to nothing`);
    out[column] = { edges, proportions: counts.map((c) => c / total) };
  }
  return out;
}

export interface DriftOptions { records: number; window: string; bins: number; threshold: number }

/**
 * Live histograms per column (features, then the score) over a tumbling processing-time
 * window, against a reference: given (a file), or the first `records` rows seen. PSI is the
 * last complete window's, or the current one's until a window completes.
 */
export class DriftMonitor {
  private sample: number[][] | null;
  private current: number[][] = [];
  private currentStart: number | null = null;
  private last: number[][] | null = null;
  private readonly windowMs: number;

  constructor(private readonly columns: string[], private readonly options: DriftOptions, private reference: Reference | null) {
    this.windowMs = parseDuration(options.window);
    this.sample = reference ? null : columns.map(() => []);
  }

  /** What a restart keeps: the captured reference (a new one is not taken after a redeploy). */
  get referenceBins(): Reference | null { return this.reference; }

  /** Rows of column values (row-major, NaN = NULL), observed at wall-clock `now`. */
  observe(values: Float64Array, rows: number, now: number): void {
    const n = this.columns.length;
    let r = 0;
    if (this.sample) {
      for (; r < rows && this.sample[0].length < this.options.records; r++) {
        for (let j = 0; j < n; j++) this.sample[j].push(values[r * n + j]);
      }
      if (this.sample[0].length < this.options.records) return;
      this.reference = {};
      this.columns.forEach((c, j) => { const b = binsFromSample(this.sample![j], this.options.bins); if (b) this.reference![c] = b; });
      this.sample = null;
    }
    this.roll(now);
    const ref = this.reference!;
    for (; r < rows; r++) {
      for (let j = 0; j < n; j++) {
        const bins = ref[this.columns[j]];
        const v = values[r * n + j];
        if (bins && !Number.isNaN(v)) this.current[j][binOf(bins.edges, v)]++;
      }
    }
  }

  /** PSI per column with a reference and records in the window; null while the reference is being captured. */
  figures(now: number): { drift: Record<string, number>; drifting: boolean } | null {
    if (!this.reference) return null;
    this.roll(now);
    const counts = this.last ?? this.current;
    const drift: Record<string, number> = {};
    this.columns.forEach((c, j) => {
      const bins = this.reference![c];
      const total = counts[j]?.reduce((a, x) => a + x, 0) ?? 0;
      if (bins && total) drift[c] = psi(bins.proportions, counts[j].map((x) => x / total));
    });
    return { drift, drifting: Object.values(drift).some((v) => v > this.options.threshold) };
  }

  private roll(now: number): void {
    if (this.currentStart !== null && now - this.currentStart < this.windowMs) return;
    // A gap of more than one window leaves an empty window behind: nothing to compare.
    if (this.currentStart !== null) this.last = now - this.currentStart < 2 * this.windowMs ? this.current : null;
    this.currentStart = this.currentStart === null ? now : now - ((now - this.currentStart) % this.windowMs);
    this.current = this.columns.map((c) => new Array<number>((this.reference?.[c]?.edges.length ?? 0) + 1).fill(0));
  }
}
