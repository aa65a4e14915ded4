import type { Batch, Rec } from '../core/batch.js';

// Writes batches into the columns of PackedBatches (batch-codec.ts); batch-unpack.ts reads them.

/** The tag of each value. */
export const enum T { Undefined, Null, False, True, Num, Str, Obj, Arr }

/**
 * V8 makes a slice of 13 chars or more a view of the whole string (SlicedString), which would
 * keep a batch's text alive as long as any record's string from it (in a window, a join, a
 * dedupe): such strings travel as strings of their own; shorter slices are copies.
 */
const LONG_STRING = 13;

/** Deeper than this is taken for a cycle: the batch goes by structured clone (records stop at 64 levels). */
const MAX_DEPTH = 100;

export class Unpackable extends Error {}

/** A growable cursor over one typed array. */
class Column<A extends Uint8Array | Int32Array | Float64Array> {
  n = 0;
  constructor(public a: A, private readonly make: (size: number) => A) {}
  room(k: number): void {
    if (this.n + k <= this.a.length) return;
    const bigger = this.make(Math.max(this.a.length * 2, this.n + k));
    bigger.set(this.a.subarray(0, this.n));
    this.a = bigger;
  }
}

/**
 * Writes one message's batches. Its columns are scratch space, kept from one message to the
 * next (one Packer per thread): `bytes()` copies what was written into the one buffer that
 * is transferred.
 */
export class Packer {
  readonly tags = new Column(new Uint8Array(4096), (n) => new Uint8Array(n));
  readonly nums = new Column(new Float64Array(4096), (n) => new Float64Array(n));
  readonly ints = new Column(new Int32Array(4096), (n) => new Int32Array(n));
  /** Short strings so far: `+=` builds a rope that postMessage flattens once (cheaper than push + join). */
  text = '';
  long: string[] = [];
  shapes: string[][] = [];
  private shapeIds = new Map<string, number>();

  /** Starts a message. */
  reset(): void {
    this.tags.n = this.nums.n = this.ints.n = 0;
    this.text = '';
    this.long = [];
    this.shapes = [];
    this.shapeIds = new Map();
  }

  /** nums, then ints, then tags, in one new buffer (the layout `columnsOf` reads). */
  bytes(): ArrayBuffer {
    const { nums, ints, tags } = this;
    const out = new ArrayBuffer(nums.n * 8 + ints.n * 4 + tags.n);
    new Float64Array(out, 0, nums.n).set(nums.a.subarray(0, nums.n));
    new Int32Array(out, nums.n * 8, ints.n).set(ints.a.subarray(0, ints.n));
    new Uint8Array(out, nums.n * 8 + ints.n * 4, tags.n).set(tags.a.subarray(0, tags.n));
    return out;
  }

  /** `recordsOnly`: the records alone (a tap's batch), no times, watermarks or seqs. */
  batch(b: Batch, recordsOnly = false): void {
    const n = b.records.length;
    if (!recordsOnly) {
      // Parallel arrays of another length would lose or invent values here: structured clone keeps them as they are.
      if (b.times.length !== n || b.wms.length !== n || (b.seqs && b.seqs.length !== n)) throw new Unpackable();
      this.nums.room(3 * n);
      const f = this.nums.a;
      let at = this.nums.n;
      at = copyNumbers(b.times, n, f, at);
      at = copyNumbers(b.wms, n, f, at);
      if (b.seqs) at = copyNumbers(b.seqs, n, f, at);
      this.nums.n = at;
    }
    let shape = -1;
    for (let i = 0; i < n; i++) shape = this.record(b.records[i], shape);
  }

  /** Writes one record; returns its shape id, the guess for the next one. */
  private record(r: Rec, guess: number): number {
    if (!isPlainObject(r)) throw new Unpackable();
    if (guess >= 0 && this.sameShape(r, guess)) return guess;
    const keys = Object.keys(r);
    const id = this.shapeOf(keys);
    this.ints.room(1);
    this.ints.a[this.ints.n++] = id;
    for (let j = 0; j < keys.length; j++) this.value(r[keys[j]], 1);
    return id;
  }

  /**
   * Most batches are one shape: writes the record as the last record's shape, or undoes its
   * writes and answers false when its keys differ. Numbers and strings are written inline
   * (the hot path); anything else through value().
   */
  private sameShape(r: Rec, shape: number): boolean {
    const keys = this.shapes[shape];
    const width = keys.length;
    const { tags, nums, ints } = this;
    const { text, long } = this;
    const l0 = long.length;
    tags.room(width); nums.room(width); ints.room(width + 1);
    const t0 = tags.n, f0 = nums.n, i0 = ints.n;
    let ta = tags.a, fa = nums.a, ia = ints.a;
    let t = t0, f = f0, i = i0;
    ia[i++] = shape;
    let j = 0;
    for (const k in r) {
      if (k !== keys[j]) { j = -1; break; }
      const v = r[k];
      j++;
      if (typeof v === 'number') { ta[t++] = T.Num; fa[f++] = v; }
      else if (typeof v === 'string') {
        ta[t++] = T.Str;
        if (v.length < LONG_STRING) { ia[i++] = v.length; this.text += v; }
        else { ia[i++] = -1; long.push(v); }
      }
      else {
        tags.n = t; nums.n = f; ints.n = i;
        this.value(v, 1);
        tags.room(width); nums.room(width); ints.room(width);
        ta = tags.a; fa = nums.a; ia = ints.a;
        t = tags.n; f = nums.n; i = ints.n;
      }
    }
    if (j === width) {
      tags.n = t; nums.n = f; ints.n = i;
      return true;
    }
    tags.n = t0; nums.n = f0; ints.n = i0; this.text = text; long.length = l0;
    return false;
  }

  private shapeOf(keys: string[]): number {
    const name = JSON.stringify(keys);
    let id = this.shapeIds.get(name);
    if (id === undefined) {
      id = this.shapes.push(keys) - 1;
      this.shapeIds.set(name, id);
    }
    return id;
  }

  private value(v: unknown, depth: number): void {
    const tags = this.tags;
    tags.room(1);
    switch (typeof v) {
      case 'number':
        tags.a[tags.n++] = T.Num;
        this.nums.room(1);
        this.nums.a[this.nums.n++] = v;
        return;
      case 'string':
        tags.a[tags.n++] = T.Str;
        this.str(v);
        return;
      case 'boolean':
        tags.a[tags.n++] = v ? T.True : T.False;
        return;
      case 'undefined':
        tags.a[tags.n++] = T.Undefined;
        return;
      case 'object':
        if (v === null) { tags.a[tags.n++] = T.Null; return; }
        if (depth >= MAX_DEPTH) throw new Unpackable();
        if (Array.isArray(v)) return this.array(v, depth);
        if (!isPlainObject(v)) throw new Unpackable();
        tags.a[tags.n++] = T.Obj;
        return this.object(v as Rec, depth);
      default:
        throw new Unpackable(); // bigint, symbol, function
    }
  }

  private str(s: string): void {
    this.ints.room(1);
    if (s.length < LONG_STRING) { this.ints.a[this.ints.n++] = s.length; this.text += s; }
    else { this.ints.a[this.ints.n++] = -1; this.long.push(s); }
  }

  private array(v: unknown[], depth: number): void {
    if (Object.getPrototypeOf(v) !== Array.prototype) throw new Unpackable();
    this.tags.a[this.tags.n++] = T.Arr;
    this.ints.room(1);
    this.ints.a[this.ints.n++] = v.length;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x === undefined && !(i in v)) throw new Unpackable(); // a hole: structured clone keeps it
      this.value(x, depth + 1);
    }
  }

  private object(v: Rec, depth: number): void {
    const keys = Object.keys(v);
    this.ints.room(1);
    this.ints.a[this.ints.n++] = keys.length;
    for (const k of keys) {
      this.str(k);
      this.value(v[k], depth + 1);
    }
  }
}

/** Copies a batch's times, wms or seqs (numbers only: anything else goes by structured clone). */
function copyNumbers(from: number[], n: number, to: Float64Array, at: number): number {
  for (let i = 0; i < n; i++) {
    const x = from[i];
    if (typeof x !== 'number') throw new Unpackable();
    to[at++] = x;
  }
  return at;
}

function isPlainObject(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

