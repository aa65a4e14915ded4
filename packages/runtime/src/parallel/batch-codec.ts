import type { Batch, Rec } from '../core/batch.js';

/**
 * Batches packed into a few typed arrays and one string, so a thread can hand them to
 * another with postMessage's transfer list: the arrays move without a copy and the string
 * clones as one block, instead of v8's structured clone walking every record and writing
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
  /** One tag per value (VALUE_TAG). */
  tags: Uint8Array;
  /** times, wms and seqs of each batch, then the numbers of its records, in order. */
  nums: Float64Array;
  /** Each record's shape id; then lengths: of strings, of arrays, key counts of nested objects. */
  ints: Int32Array;
  /** Every string value and nested key, one after another. */
  text: string;
  /** Batches not packed, with their index in the input list. */
  cloned: [index: number, batch: Batch][];
}

const enum T { Undefined, Null, False, True, Num, Str, Obj, Arr }

/** Deeper than this is taken for a cycle: the batch goes by structured clone (records stop at 64 levels). */
const MAX_DEPTH = 100;

class Unpackable extends Error {}

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
  done(): A {
    return this.a.subarray(0, this.n) as A;
  }
}

class Packer {
  readonly tags = new Column(new Uint8Array(1024), (n) => new Uint8Array(n));
  readonly nums = new Column(new Float64Array(1024), (n) => new Float64Array(n));
  readonly ints = new Column(new Int32Array(256), (n) => new Int32Array(n));
  /** Strings so far: `+=` builds a rope that postMessage flattens once (cheaper than push + join). */
  text = '';
  readonly shapes: string[][] = [];
  private readonly shapeIds = new Map<string, number>();

  batch(b: Batch): void {
    const n = b.records.length;
    this.nums.room(3 * n);
    const f = this.nums.a;
    let at = this.nums.n;
    at = copyNumbers(b.times, n, f, at);
    at = copyNumbers(b.wms, n, f, at);
    if (b.seqs) at = copyNumbers(b.seqs, n, f, at);
    this.nums.n = at;
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
    const text = this.text;
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
      else if (typeof v === 'string') { ta[t++] = T.Str; ia[i++] = v.length; this.text += v; }
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
    tags.n = t0; nums.n = f0; ints.n = i0; this.text = text;
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
    this.ints.a[this.ints.n++] = s.length;
    this.text += s;
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

/** Packs batches (one message's worth); those that cannot be packed are kept as they are in `cloned`. */
export function packBatches(batches: readonly Batch[]): PackedBatches {
  const p = new Packer();
  const heads: number[] = [];
  const arrivedAt: number[] = [];
  const cloned: [number, Batch][] = [];
  for (let b = 0; b < batches.length; b++) {
    const batch = batches[b];
    const t = p.tags.n, f = p.nums.n, i = p.ints.n, s = p.text;
    try {
      p.batch(batch);
    } catch (err) {
      if (!(err instanceof Unpackable)) throw err;
      p.tags.n = t; p.nums.n = f; p.ints.n = i; p.text = s;
      cloned.push([b, batch]);
      continue;
    }
    heads.push(batch.records.length, batch.seqs ? 1 : 0, b);
    arrivedAt.push(batch.arrivedAt);
  }
  return {
    heads: Int32Array.from(heads), arrivedAt: Float64Array.from(arrivedAt), shapes: p.shapes,
    tags: p.tags.done(), nums: p.nums.done(), ints: p.ints.done(), text: p.text, cloned,
  };
}

/** The buffers to list in postMessage's transfer list (the packer's arrays are not used after). */
export function transferablesOf(packed: PackedBatches): ArrayBuffer[] {
  return [packed.heads.buffer, packed.arrivedAt.buffer, packed.tags.buffer, packed.nums.buffer, packed.ints.buffer] as ArrayBuffer[];
}

/** Reads packed batches in the order they were given to packBatches. */
class Unpacker {
  t = 0;
  f = 0;
  i = 0;
  s = 0;
  /** By shape id: whether the shape has a key `__proto__` (set on the slow path). */
  private readonly protoKey: boolean[] = [];
  private readonly keys: string[][] = [];
  constructor(private readonly p: PackedBatches) {}

  batch(n: number, hasSeqs: boolean, arrivedAt: number): Batch {
    const nums = this.p.nums;
    const times = new Array<number>(n);
    const wms = new Array<number>(n);
    let f = this.f;
    for (let k = 0; k < n; k++) times[k] = nums[f++];
    for (let k = 0; k < n; k++) wms[k] = nums[f++];
    let seqs: number[] | undefined;
    if (hasSeqs) {
      seqs = new Array<number>(n);
      for (let k = 0; k < n; k++) seqs[k] = nums[f++];
    }
    this.f = f;
    const records = new Array<Rec>(n);
    const { shapes, ints, tags, text } = this.p;
    for (let k = 0; k < n; k++) {
      const id = ints[this.i++];
      const keys = (this.keys[id] ??= internalized(shapes[id]));
      const r: Rec = {};
      if (this.protoKey[id] ??= keys.includes('__proto__')) {
        for (let j = 0; j < keys.length; j++) set(r, keys[j], this.value());
      } else {
        // The hot path: numbers and strings inline.
        for (let j = 0; j < keys.length; j++) {
          const tag = tags[this.t];
          if (tag === T.Num) { this.t++; r[keys[j]] = nums[this.f++]; }
          else if (tag === T.Str) { this.t++; r[keys[j]] = text.slice(this.s, (this.s += ints[this.i++])); }
          else r[keys[j]] = this.value();
        }
      }
      records[k] = r;
    }
    return seqs ? { records, times, wms, arrivedAt, seqs } : { records, times, wms, arrivedAt };
  }

  private value(): unknown {
    const p = this.p;
    switch (p.tags[this.t++] as T) {
      case T.Num: return p.nums[this.f++];
      case T.Str: return this.str();
      case T.True: return true;
      case T.False: return false;
      case T.Null: return null;
      case T.Undefined: return undefined;
      case T.Arr: {
        const out = new Array<unknown>(p.ints[this.i++]);
        for (let k = 0; k < out.length; k++) out[k] = this.value();
        return out;
      }
      case T.Obj: {
        const out: Rec = {};
        for (let k = p.ints[this.i++]; k > 0; k--) {
          const key = this.str();
          set(out, key, this.value());
        }
        return out;
      }
    }
  }

  private str(): string {
    const len = this.p.ints[this.i++];
    return this.p.text.slice(this.s, (this.s += len));
  }
}

/** The same keys as property-name strings of the heap (stores by them skip a string-table lookup each). */
const internalized = (keys: string[]): string[] => keys.map((k) => Object.keys({ [k]: 0 })[0]);

/** `o[k] = v`, except that `__proto__` becomes an own field (as JSON.parse makes it), not the prototype. */
function set(o: Rec, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
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
