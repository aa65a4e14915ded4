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

/** A registered timer; the same object is handed to onTimer when it fires (no allocation per fire). */
interface Entry extends FiredTimer {
  outputWatermark: number;
  /** False once fired or deleted (the bucket keeps the slot: lazy deletion). */
  live: boolean;
}

/** Buckets this large look timers up in an index instead of scanning. */
const SCAN_LIMIT = 8;

/**
 * The timers of one time, in registration order: firing order for ties. Most buckets hold
 * one timer (a per-record expiry) or many (every key of a window end); small ones are
 * scanned, large ones indexed by namespace, then key (no string built per registration).
 */
class Bucket {
  readonly entries: Entry[] = [];
  /** The next entry to fire (entries before it are gone). */
  next = 0;
  live = 0;
  private index: Map<string, Map<string, Entry>> | null = null;

  constructor(readonly time: number) {}

  find(key: string, namespace: string): Entry | undefined {
    if (this.index) return this.index.get(namespace)?.get(key);
    const { entries } = this;
    for (let i = this.next; i < entries.length; i++) {
      const e = entries[i];
      if (e.live && e.key === key && e.namespace === namespace) return e;
    }
    return undefined;
  }

  add(e: Entry): void {
    this.entries.push(e);
    this.live++;
    if (this.index) this.indexed(e);
    else if (this.live > SCAN_LIMIT) {
      this.index = new Map();
      for (let i = this.next; i < this.entries.length; i++) if (this.entries[i].live) this.indexed(this.entries[i]);
    }
  }

  remove(e: Entry): void {
    e.live = false;
    this.live--;
    this.index?.get(e.namespace)?.delete(e.key);
  }

  private indexed(e: Entry): void {
    let byKey = this.index!.get(e.namespace);
    if (!byKey) this.index!.set(e.namespace, (byKey = new Map()));
    byKey.set(e.key, e);
  }
}

/** A min-heap of numbers (the distinct times that have a bucket). */
class TimeHeap {
  private readonly a: number[] = [];

  get size(): number { return this.a.length; }
  peek(): number | undefined { return this.a[0]; }

  push(x: number): void {
    const a = this.a;
    let i = a.length;
    a.push(x);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p] <= x) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = x;
  }

  pop(): void {
    const a = this.a;
    const last = a.pop()!;
    const n = a.length;
    if (!n) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const c = l + 1 < n && a[l + 1] < a[l] ? l + 1 : l;
      if (a[c] >= last) break;
      a[i] = a[c];
      i = c;
    }
    a[i] = last;
  }
}

/**
 * One domain's timers: a bucket per distinct time, the times in a heap. Fires in time
 * order, ties in registration order, as a heap on (time, registration sequence) would.
 */
class TimerQueue {
  private readonly times = new TimeHeap();
  private readonly buckets = new Map<number, Bucket>();
  size = 0;

  constructor(private readonly domain: Timer['domain']) {}

  /** False when the same timer is already registered (it keeps its place). */
  add(time: number, key: string, namespace: string): boolean {
    let b = this.buckets.get(time);
    if (!b) {
      this.buckets.set(time, (b = new Bucket(time)));
      this.times.push(time);
    } else if (b.find(key, namespace)) return false;
    b.add({ time, key, namespace, domain: this.domain, outputWatermark: -Infinity, live: true });
    this.size++;
    return true;
  }

  delete(time: number, key: string, namespace: string): void {
    const b = this.buckets.get(time);
    const e = b?.find(key, namespace);
    if (!e) return;
    b!.remove(e);
    this.size--;
  }

  /** The earliest time with a live timer (drops spent buckets on the way). */
  firstTime(): number | undefined {
    for (let t = this.times.peek(); t !== undefined; t = this.times.peek()) {
      if (this.buckets.get(t)!.live > 0) return t;
      this.buckets.delete(t);
      this.times.pop();
    }
    return undefined;
  }

  /**
   * Fires, in order, every timer with time ≤ `limit`, those registered meanwhile included:
   * an earlier one goes before the rest of the current time's.
   */
  fireUpTo(limit: number, outputWatermark: number, fire: (t: FiredTimer) => void): void {
    for (let time = this.firstTime(); time !== undefined && time <= limit; time = this.firstTime()) {
      const b = this.buckets.get(time)!;
      const { entries } = b;
      while (b.next < entries.length) {
        const e = entries[b.next++];
        if (!e.live) continue;
        b.remove(e);
        this.size--;
        e.outputWatermark = outputWatermark;
        fire(e);
        if (this.times.peek()! < time) break; // fired output registered an earlier timer
      }
    }
  }

  list(): [number, string, string][] {
    const out: [number, string, string][] = [];
    for (const b of this.buckets.values()) {
      for (let i = b.next; i < b.entries.length; i++) {
        const e = b.entries[i];
        if (e.live) out.push([e.time, e.key, e.namespace]);
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
    const at = this.processing.firstTime() ?? null;
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
