import type { Batch } from '../core/batch.js';
import { Packer, Unpackable } from './batch-pack.js';
import { Unpacker } from './batch-unpack.js';

/**
 * Batches packed into a few typed arrays and strings, so a thread can hand them to another
 * with postMessage's transfer list: the arrays move without a copy and the short strings
 * clone as one block, instead of v8's structured clone walking every record and writing
 * every key of every record. Records of one key list (a shape) are written as their values
 * only, in key order; nested objects and arrays are written value by value with their keys.
 * A batch holding a value the codec does not carry (Date, Map, bigint, a class instance, a
 * sparse array, a cycle) is carried as it is, by structured clone, so nothing is lost.
 */
export interface PackedBatches {
  /** Per packed batch: its record count, 1 when it has seqs, and its index in the input list. */
  heads: Int32Array;
  arrivedAt: Float64Array;
  /** Key lists, by shape id. */
  shapes: string[][];
  /** One tag per value (T). */
  tags: Uint8Array;
  /** times, wms and seqs of each batch, then the numbers of its records, in order. */
  nums: Float64Array;
  /**
   * Each record's shape id; then lengths: of strings (-1: the next of `long`), of arrays, key
   * counts of nested objects.
   */
  ints: Int32Array;
  /** Short strings (values and nested keys), one after another. */
  text: string;
  /** Strings of LONG_STRING chars or more, in order. */
  long: string[];
  /** Batches not packed, with their index in the input list. */
  cloned: [index: number, batch: Batch][];
}

/** Packs batches (one message's worth); those that cannot be packed are kept as they are in `cloned`. */
export function packBatches(batches: readonly Batch[]): PackedBatches {
  let records = 0;
  for (const b of batches) records += b.records.length;
  const p = new Packer(records);
  const heads: number[] = [];
  const arrivedAt: number[] = [];
  const cloned: [number, Batch][] = [];
  for (let b = 0; b < batches.length; b++) {
    const batch = batches[b];
    const t = p.tags.n, f = p.nums.n, i = p.ints.n, s = p.text, l = p.long.length;
    try {
      p.batch(batch);
    } catch (err) {
      if (!(err instanceof Unpackable)) throw err;
      p.tags.n = t; p.nums.n = f; p.ints.n = i; p.text = s; p.long.length = l;
      cloned.push([b, batch]);
      continue;
    }
    heads.push(batch.records.length, batch.seqs ? 1 : 0, b);
    arrivedAt.push(batch.arrivedAt);
  }
  return {
    heads: Int32Array.from(heads), arrivedAt: Float64Array.from(arrivedAt), shapes: p.shapes,
    tags: p.tags.done(), nums: p.nums.done(), ints: p.ints.done(), text: p.text, long: p.long, cloned,
  };
}

/** The buffers to list in postMessage's transfer list (the packer's arrays are not used after). */
export function transferablesOf(packed: PackedBatches): ArrayBuffer[] {
  return [packed.heads.buffer, packed.arrivedAt.buffer, packed.tags.buffer, packed.nums.buffer, packed.ints.buffer] as ArrayBuffer[];
}

/** The batches given to packBatches, equal to them and in their order. */
export function unpackBatches(packed: PackedBatches): Batch[] {
  const out = new Array<Batch>(packed.heads.length / 3 + packed.cloned.length);
  const u = new Unpacker(packed);
  for (let h = 0, b = 0; h < packed.heads.length; h += 3, b++) {
    out[packed.heads[h + 2]] = u.batch(packed.heads[h], packed.heads[h + 1] === 1, packed.arrivedAt[b]);
  }
  for (const [index, batch] of packed.cloned) out[index] = batch;
  return out;
}
