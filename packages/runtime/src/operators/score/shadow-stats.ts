import type { ModelQuality } from '@eddy/shared';

/** How many recent records the shadow and quality figures cover: bounded memory, live figures. */
export const RECENT = 10_000;

/** The p-th percentile (0..100) of sorted values, nearest rank. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/**
 * Champion against challenger over the last RECENT records both scored: agreement and
 * |difference| (mean, p50, p95). Agreement is the same class at the threshold for probability
 * models (or with classOutput), else |diff| ≤ tolerance × max(1, |champion|).
 */
export class ShadowStats {
  private readonly diffs = new Float64Array(RECENT);
  private readonly agrees = new Uint8Array(RECENT);
  private next = 0;
  private filled = 0;
  compared = 0;

  constructor(private readonly agree: (champion: number, challenger: number) => boolean) {}

  add(champion: number, challenger: number): void {
    if (Number.isNaN(champion) || Number.isNaN(challenger)) return;
    this.diffs[this.next] = Math.abs(champion - challenger);
    this.agrees[this.next] = this.agree(champion, challenger) ? 1 : 0;
    this.next = (this.next + 1) % RECENT;
    this.filled = Math.min(RECENT, this.filled + 1);
    this.compared++;
  }

  figures(): { agreement: number | null; meanAbsDiff: number | null; p50AbsDiff: number | null; p95AbsDiff: number | null } {
    if (!this.filled) return { agreement: null, meanAbsDiff: null, p50AbsDiff: null, p95AbsDiff: null };
    const diffs = this.diffs.slice(0, this.filled).sort();
    let sum = 0;
    let agreed = 0;
    for (let i = 0; i < this.filled; i++) { sum += diffs[i]; agreed += this.agrees[i]; }
    return { agreement: agreed / this.filled, meanAbsDiff: sum / this.filled, p50AbsDiff: percentile(diffs, 50), p95AbsDiff: percentile(diffs, 95) };
  }
}

/** Agreement of two scores: classes at the threshold, or a relative tolerance for regressions. */
export function agreementRule(byClass: boolean, threshold: number, tolerance: number): (c: number, h: number) => boolean {
  return byClass ? (c, h) => (c >= threshold) === (h >= threshold) : (c, h) => Math.abs(c - h) <= tolerance * Math.max(1, Math.abs(c));
}

const EPS = 1e-15;

/**
 * A model's score against labels over the last RECENT labelled records: ROC AUC (the
 * Mann–Whitney statistic, ties counting half) and mean log-loss.
 */
export class QualityStats {
  private readonly scores = new Float64Array(RECENT);
  private readonly labels = new Uint8Array(RECENT);
  private next = 0;
  private filled = 0;

  add(score: number, label: 0 | 1): void {
    if (Number.isNaN(score)) return;
    this.scores[this.next] = score;
    this.labels[this.next] = label;
    this.next = (this.next + 1) % RECENT;
    this.filled = Math.min(RECENT, this.filled + 1);
  }

  figures(): ModelQuality {
    const n = this.filled;
    if (!n) return { auc: null, logLoss: null };
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const p = Math.min(1 - EPS, Math.max(EPS, this.scores[i]));
      loss -= this.labels[i] ? Math.log(p) : Math.log(1 - p);
    }
    return { auc: rocAuc(this.scores.subarray(0, n), this.labels.subarray(0, n)), logLoss: loss / n };
  }
}

/** AUC by ranks: (sum of positive ranks − P(P+1)/2) / (P·N), tied scores sharing their mean rank. null without both classes. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]] === scores[order[i]]) j++;
    const meanRank = (i + j + 2) / 2; // ranks are 1-based
    for (let k = i; k <= j; k++) if (labels[order[k]]) { positives++; rankSum += meanRank; }
    i = j + 1;
  }
  const negatives = order.length - positives;
  if (!positives || !negatives) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
