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
  /** Per packed batch: its record count, its numbers (TIMES, TIMES_SEQS or NONE), its index in the input list, its arrivedAt. */
  heads: number[];
  /** Key lists, by shape id. */
  shapes: string[][];
  /** The columns, in one buffer to transfer: `counts` numbers (f64), ints (i32) and tags (u8). */
  bytes: ArrayBuffer;
  counts: [nums: number, ints: number, tags: number];
  /** Short strings (values and nested keys), one after another. */
  text: string;
  /** Strings of LONG_STRING chars or more, in order. */
  long: string[];
  /** Batches not packed, with their index in the input list. */
  cloned: [index: number, batch: Batch][];
}

/** The columns of a message, as Packer wrote them. */
export interface Columns {
  /** times, wms and seqs of each batch, then the numbers of its records, in order. */
  nums: Float64Array;
  /**
   * Each record's shape id; then lengths: of strings (-1: the next of `long`), of arrays, key
   * counts of nested objects.
   */
  ints: Int32Array;
  /** One tag per value (T). */
  tags: Uint8Array;
}

const packer = new Packer();

/**
 * The `times` of a batch whose records alone cross (a tap's): no times, watermarks or seqs are
 * packed, and it unpacks with empty ones.
 */
export const RECORDS_ONLY: number[] = Object.freeze([]) as unknown as number[];
/** What numbers a packed batch carries before its records. */
const TIMES = 0, TIMES_SEQS = 1, NONE = 2;

/** Packs batches (one message's worth); those that cannot be packed are kept as they are in `cloned`. */
export function packBatches(batches: readonly Batch[]): PackedBatches {
  const p = packer;
  p.reset();
  const heads: number[] = [];
  const cloned: [number, Batch][] = [];
  for (let b = 0; b < batches.length; b++) {
    const batch = batches[b];
    const t = p.tags.n, f = p.nums.n, i = p.ints.n, s = p.text, l = p.long.length;
    const recordsOnly = batch.times === RECORDS_ONLY;
    try {
      p.batch(batch, recordsOnly);
    } catch (err) {
      if (!(err instanceof Unpackable)) throw err;
      p.tags.n = t; p.nums.n = f; p.ints.n = i; p.text = s; p.long.length = l;
      cloned.push([b, batch]);
      continue;
    }
    heads.push(batch.records.length, recordsOnly ? NONE : batch.seqs ? TIMES_SEQS : TIMES, b, batch.arrivedAt);
  }
  const packed: PackedBatches = {
    heads, shapes: p.shapes, bytes: p.bytes(), counts: [p.nums.n, p.ints.n, p.tags.n], text: p.text, long: p.long, cloned,
  };
  p.reset(); // the records' strings are not kept alive by the scratch packer
  return packed;
}

/** What to list in postMessage's transfer list: the one buffer, moved without a copy. */
export function transferablesOf(packed: PackedBatches): ArrayBuffer[] {
  return [packed.bytes];
}

function columnsOf(packed: PackedBatches): Columns {
  const [nums, ints, tags] = packed.counts;
  return {
    nums: new Float64Array(packed.bytes, 0, nums),
    ints: new Int32Array(packed.bytes, nums * 8, ints),
    tags: new Uint8Array(packed.bytes, nums * 8 + ints * 4, tags),
  };
}

/** The batches given to packBatches, equal to them and in their order. */
export function unpackBatches(packed: PackedBatches): Batch[] {
  const { heads, cloned } = packed;
  const out = new Array<Batch>(heads.length / 4 + cloned.length);
  const u = new Unpacker(packed, columnsOf(packed));
  for (let h = 0; h < heads.length; h += 4) {
    out[heads[h + 2]] = heads[h + 1] === NONE ? u.records(heads[h], heads[h + 3]) : u.batch(heads[h], heads[h + 1] === TIMES_SEQS, heads[h + 3]);
  }
  for (const [index, batch] of cloned) out[index] = batch;
  return out;
}
