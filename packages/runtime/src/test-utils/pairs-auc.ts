/** The AUC by its definition, for tests: the share of (positive, negative) pairs the score ranks right, ties half. */
export function pairsAuc(scores: number[], labels: number[]): number {
  let right = 0;
  let pairs = 0;
  scores.forEach((sp, i) => scores.forEach((sn, j) => {
    if (labels[i] !== 1 || labels[j] !== 0) return;
    pairs++;
    right += sp > sn ? 1 : sp === sn ? 0.5 : 0;
  }));
  return right / pairs;
}
