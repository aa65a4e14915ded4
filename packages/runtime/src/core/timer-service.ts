import { BucketQueue } from './bucket-queue.js';

/**
 * One timer service per operator, as Flink's InternalTimerService: event-time and
 * processing-time timers keyed by (time, key, namespace), deduplicated, fired in time order
 * (ties in registration order), kept in every checkpoint. Event time moves only forwards:
 * with each record's watermark (`atRecord`, so firing does not depend on batch boundaries)
 * and with each watermark the node receives. What an operator emits from `onTimer` carries
 * the watermark in force *before* the advance, so downstream judges it against the previous
 * watermark: Flink emits fired output before it forwards the watermark that fired it.
 */
export interface Timer {
  readonly time: number;
  readonly key: string;
  readonly namespace: string;
  readonly domain: 'event' | 'processing';
}

/** A timer that fires, with the watermark its output carries. */
export interface FiredTimer extends Timer {
  /** The watermark downstream has when this fires: the one before the advance (event time), the current one (processing time). */
  readonly outputWatermark: number;
}

export interface TimerService {
  /** Fires once the watermark reaches `time` (time ≤ watermark). Registering the same (time, key, namespace) twice keeps one. */
  registerEventTimer(time: number, key: string, namespace?: string): void;
  deleteEventTimer(time: number, key: string, namespace?: string): void;
  /** Fires once the wall clock (epoch ms) reaches `time`. */
  registerProcessingTimer(time: number, key: string, namespace?: string): void;
  deleteProcessingTimer(time: number, key: string, namespace?: string): void;
  /** The watermark in force. */
  currentWatermark(): number;
  /**
   * Brings event time to a record's own watermark before the record is handled: fires the
   * timers it passes, as if the watermark had come one record at a time. Returns the
   * watermark in force for the record. Operators with event-time timers call it per record.
   */
  atRecord(watermark: number): number;
}

export interface TimerSnapshot { event: [number, string, string][]; processing: [number, string, string][] }

/** Buckets this large look timers up in an index instead of scanning. */
const SCAN_LIMIT = 8;

/**
 * The timers of one time, in registration order: firing order for ties. Kept as (key,
 * namespace) pairs: no object per timer lives until it fires (long-lived objects are what
 * the garbage collector pays for). Most buckets hold one timer (a per-record expiry) or many
 * (every key of a window end): the first pair sits in the bucket itself, later ones in one
 * array; small buckets are scanned, large ones indexed by namespace, then key (no string
 * built per registration). Pair positions are 0, 2, 4…: 0 the first pair, i ≥ 2 at rest[i − 2].
 */
class Bucket {
  /** A null namespace: fired or deleted (lazy deletion). */
  private key0: string;
  private ns0: string | null;
  /** The pairs after the first: key, namespace, key, namespace…; null while there is one. */
  private rest: (string | null)[] | null = null;
  /** Where the next pair to fire starts (pairs before it are gone). */
  next = 0;
  live = 1;
  /** Once large: key → pair, one map per namespace (`firstNamespace`'s kept at hand). */
  private firstIndex: Map<string, number> | null = null;
  private otherIndexes: Map<string, Map<string, number>> | null = null;
  private readonly firstNamespace: string;

  constructor(readonly time: number, key: string, namespace: string) {
    this.key0 = key;
    this.ns0 = namespace;
    this.firstNamespace = namespace;
  }

  /** Just past the last pair. */
  get end(): number {
    return this.rest === null ? 2 : this.rest.length + 2;
  }

  keyAt(i: number): string {
    return i === 0 ? this.key0 : this.rest![i - 2]!;
  }

  /** null: fired or deleted. */
  namespaceAt(i: number): string | null {
    return i === 0 ? this.ns0 : this.rest![i - 1];
  }

  /** Where a live timer's pair starts, or -1. */
  find(key: string, namespace: string): number {
    if (this.firstIndex) {
      const i = this.indexOf(namespace)?.get(key);
      return i !== undefined && this.namespaceAt(i) !== null ? i : -1;
    }
    const end = this.end;
    for (let i = this.next; i < end; i += 2) if (this.keyAt(i) === key && this.namespaceAt(i) === namespace) return i;
    return -1;
  }

  /** Appends a timer unless it is here already (then false: it keeps its place). */
  addIfAbsent(key: string, namespace: string): boolean {
    const i = this.end;
    if (this.firstIndex) {
      // One lookup and one insert in the key's map (the hot path of a window end with many keys).
      const index = this.indexOf(namespace) ?? this.newIndex(namespace);
      const at = index.get(key);
      if (at !== undefined && this.namespaceAt(at) !== null) return false;
      index.set(key, i);
    } else {
      if (this.find(key, namespace) >= 0) return false;
      if (this.live + 1 > SCAN_LIMIT) this.buildIndex(key, namespace, i);
    }
    if (this.rest === null) this.rest = [key, namespace];
    else this.rest.push(key, namespace);
    this.live++;
    return true;
  }

  /** Fires or deletes a timer (an index entry left behind is ignored by `find`, or overwritten). */
  remove(i: number): void {
    if (i === 0) this.ns0 = null;
    else this.rest![i - 1] = null;
    this.live--;
  }

  private indexOf(namespace: string): Map<string, number> | undefined {
    return namespace === this.firstNamespace ? this.firstIndex! : this.otherIndexes?.get(namespace);
  }

  private newIndex(namespace: string): Map<string, number> {
    const index = new Map<string, number>();
    (this.otherIndexes ??= new Map()).set(namespace, index);
    return index;
  }

  /** Indexes the live pairs and the one about to be appended at `at`. */
  private buildIndex(key: string, namespace: string, at: number): void {
    this.firstIndex = new Map();
    const end = this.end;
    for (let j = this.next; j < end; j += 2) {
      const ns = this.namespaceAt(j);
      if (ns !== null) (this.indexOf(ns) ?? this.newIndex(ns)).set(this.keyAt(j), j);
    }
    (this.indexOf(namespace) ?? this.newIndex(namespace)).set(key, at);
  }
}

/**
 * One domain's timers: a bucket per distinct time, the buckets in time order. Fires in time
 * order, ties in registration order, as a heap on (time, registration sequence) would.
 */
class TimerQueue {
  private readonly buckets = new BucketQueue<Bucket>();
  /** The bucket registered into last: consecutive registrations mostly share a time. */
  private last: Bucket | undefined = undefined;
  size = 0;

  constructor(private readonly domain: Timer['domain']) {}

  /** False when the same timer is already registered (it keeps its place). */
  add(time: number, key: string, namespace: string): boolean {
    const b = this.last !== undefined && this.last.time === time ? this.last : this.buckets.get(time);
    if (b === undefined) {
      const fresh = new Bucket(time, key, namespace);
      this.buckets.add(fresh);
      this.last = fresh;
    } else {
      if (!b.addIfAbsent(key, namespace)) return false;
      this.last = b;
    }
    this.size++;
    return true;
  }

  delete(time: number, key: string, namespace: string): void {
    const b = this.buckets.get(time);
    const i = b ? b.find(key, namespace) : -1;
    if (i < 0) return;
    b!.remove(i);
    this.size--;
  }

  /** The bucket of the earliest live timer (drops spent buckets on the way). */
  first(): Bucket | undefined {
    for (let b = this.buckets.peek(); b !== undefined; b = this.buckets.peek()) {
      if (b.live > 0) return b;
      if (this.last === b) this.last = undefined;
      this.buckets.pop();
    }
    return undefined;
  }

  /**
   * Fires, in order, every timer with time ≤ `limit`, those registered meanwhile included:
   * an earlier one goes before the rest of the current time's.
   */
  fireUpTo(limit: number, outputWatermark: number, fire: (t: FiredTimer) => void): void {
    // Called per record: when nothing is due, decided on the earliest time alone, no bucket read.
    if (this.buckets.peekTime() > limit) return;
    for (let b = this.first(); b !== undefined && b.time <= limit; b = this.first()) {
      const time = b.time;
      while (b.next < b.end) {
        const i = b.next;
        b.next += 2;
        const namespace = b.namespaceAt(i);
        if (namespace === null) continue;
        b.remove(i);
        this.size--;
        fire({ time, key: b.keyAt(i), namespace, domain: this.domain, outputWatermark });
        if (this.buckets.peekTime() < time) break; // fired output registered an earlier timer
      }
    }
  }

  list(): [number, string, string][] {
    const out: [number, string, string][] = [];
    for (const b of this.buckets.values()) {
      for (let i = b.next; i < b.end; i += 2) {
        const namespace = b.namespaceAt(i);
        if (namespace !== null) out.push([b.time, b.keyAt(i), namespace]);
      }
    }
    return out;
  }
}

/** The node runtime's side of the service: it advances time and arms the wall-clock alarm. */
export class TimerServiceImpl implements TimerService {
  private readonly event = new TimerQueue('event');
  private readonly processing = new TimerQueue('processing');
  private watermark = -Infinity;
  /** Set while firing: a guard against re-entrant advances from onTimer. */
  private firing = false;
  /** The wall-clock alarm asked for (undefined: none yet), so it is re-armed only when the earliest time changes. */
  private armedAt: number | null | undefined = undefined;

  constructor(
    /** Calls the operator's onTimer. */
    private readonly fire: (timer: FiredTimer) => void,
    /** Asks for `onAlarm` to run (in the job's mailbox) at wall-clock time `at`; null cancels. */
    private readonly alarm: (at: number | null) => void = () => undefined,
    private readonly wallClock: () => number = Date.now,
  ) {}

  registerEventTimer(time: number, key: string, namespace = ''): void {
    this.event.add(time, key, namespace);
  }

  deleteEventTimer(time: number, key: string, namespace = ''): void {
    this.event.delete(time, key, namespace);
  }

  registerProcessingTimer(time: number, key: string, namespace = ''): void {
    if (this.processing.add(time, key, namespace)) this.rearm();
  }

  deleteProcessingTimer(time: number, key: string, namespace = ''): void {
    this.processing.delete(time, key, namespace);
    this.rearm();
  }

  currentWatermark(): number {
    return this.watermark;
  }

  atRecord(wm: number): number {
    if (wm > this.watermark) this.advance(wm);
    return this.watermark;
  }

  /** Moves event time to `wm`, firing every timer at or before it in time order. */
  advance(wm: number): void {
    if (wm <= this.watermark) return;
    const outputWatermark = this.watermark;
    this.watermark = wm;
    if (this.firing || this.event.size === 0) return; // a loop below is already running and sees the new watermark
    this.firing = true;
    try {
      // Timers registered while firing with time ≤ the watermark fire in this same loop (as Flink's).
      let limit: number;
      do {
        limit = this.watermark;
        this.event.fireUpTo(limit, outputWatermark, this.fire);
      } while (this.watermark > limit);
    } finally {
      this.firing = false;
    }
  }

  /** The wall clock reached the alarm: fires the processing-time timers that are due. */
  onAlarm(): void {
    this.armedAt = undefined; // the alarm that ran is spent
    this.processing.fireUpTo(this.wallClock(), this.watermark, this.fire);
    this.rearm();
  }

  private rearm(): void {
    const at = this.processing.first()?.time ?? null;
    if (at === this.armedAt) return;
    this.armedAt = at;
    this.alarm(at);
  }

  snapshot(): TimerSnapshot {
    return { event: this.event.list(), processing: this.processing.list() };
  }

  restore(s: TimerSnapshot | undefined, watermark: number): void {
    this.watermark = watermark;
    for (const [time, key, ns] of s?.event ?? []) this.registerEventTimer(time, key, ns);
    for (const [time, key, ns] of s?.processing ?? []) this.registerProcessingTimer(time, key, ns);
  }

  get pending(): number {
    return this.event.size + this.processing.size;
  }
}
