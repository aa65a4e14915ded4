/**
 * A small seeded PRNG (SplitMix32-style). Each record reseeds from (seed, index), so
 * record i is the same whatever was generated before it: a generator can resume at any
 * offset after a restart and still produce identical data.
 */
export class SeededRandom {
  private state = 0;

  reseed(seed: number, index: number): this {
    this.state = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(index | 0, 0x85ebca6b) ^ Math.floor(index / 4294967296)) >>> 0;
    this.next();
    return this;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let z = (this.state = (this.state + 0x9e3779b9) >>> 0);
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Picks by weight; `weights` sum to 1. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let x = this.next();
    for (let i = 0; i < items.length; i++) {
      x -= weights[i];
      if (x < 0) return items[i];
    }
    return items[items.length - 1];
  }

  hex(len: number): string {
    let s = '';
    while (s.length < len) s += this.int(0x10000).toString(16).padStart(4, '0');
    return s.slice(0, len);
  }
}

/** A stable integer hash of a number, for per-entity attributes (price of a product, home of a user). */
export function hashInt(n: number, salt = 0): number {
  let h = Math.imul(n ^ salt, 0x27d4eb2d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}
