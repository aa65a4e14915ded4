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

interface Entry { timer: Timer; seq: number }

/** A min-heap of timers by time, then registration order (deterministic firing). */
class TimerHeap {
  private readonly a: Entry[] = [];

  get size(): number { return this.a.length; }

  peek(): Entry | undefined { return this.a[0]; }

  push(e: Entry): void {
    const a = this.a;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i], a[p])) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }

  pop(): Entry | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l], a[m])) m = l;
        if (r < a.length && before(a[r], a[m])) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}

const before = (x: Entry, y: Entry) => x.timer.time < y.timer.time || (x.timer.time === y.timer.time && x.seq < y.seq);
const idOf = (time: number, key: string, namespace: string) => `${time}\u0000${namespace}\u0000${key}`;

/** One domain's timers: a heap with lazy deletion and the live set by identity. */
class TimerQueue {
  readonly heap = new TimerHeap();
  /** Live timers by identity; a heap entry whose timer is not here any more was deleted. */
  readonly live = new Map<string, Timer>();

  constructor(private readonly domain: Timer['domain']) {}

  add(time: number, key: string, namespace: string, seq: number): boolean {
    const id = idOf(time, key, namespace);
    if (this.live.has(id)) return false;
    const timer: Timer = { time, key, namespace, domain: this.domain };
    this.live.set(id, timer);
    this.heap.push({ timer, seq });
    return true;
  }

  delete(time: number, key: string, namespace: string): void {
    this.live.delete(idOf(time, key, namespace));
  }

  /** The earliest live timer (drops deleted entries on the way). */
  peek(): Timer | undefined {
    for (let top = this.heap.peek(); top; top = this.heap.peek()) {
      if (this.live.get(idOf(top.timer.time, top.timer.key, top.timer.namespace)) === top.timer) return top.timer;
      this.heap.pop();
    }
    return undefined;
  }

  take(): Timer {
    const { timer } = this.heap.pop()!;
    this.live.delete(idOf(timer.time, timer.key, timer.namespace));
    return timer;
  }

  list(): [number, string, string][] {
    return [...this.live.values()].map((t) => [t.time, t.key, t.namespace]);
  }
}

/** The node runtime's side of the service: it advances time and arms the wall-clock alarm. */
export class TimerServiceImpl implements TimerService {
  private readonly event = new TimerQueue('event');
  private readonly processing = new TimerQueue('processing');
  private seq = 0;
  private watermark = -Infinity;
  /** Set while firing: a guard against re-entrant advances from onTimer. */
  private firing = false;

  constructor(
    /** Calls the operator's onTimer. */
    private readonly fire: (timer: FiredTimer) => void,
    /** Asks for `onAlarm` to run (in the job's mailbox) at wall-clock time `at`; null cancels. */
    private readonly alarm: (at: number | null) => void = () => undefined,
    private readonly wallClock: () => number = Date.now,
  ) {}

  registerEventTimer(time: number, key: string, namespace = ''): void {
    this.event.add(time, key, namespace, this.seq++);
  }

  deleteEventTimer(time: number, key: string, namespace = ''): void {
    this.event.delete(time, key, namespace);
  }

  registerProcessingTimer(time: number, key: string, namespace = ''): void {
    if (this.processing.add(time, key, namespace, this.seq++)) this.rearm();
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
    if (this.firing) return; // the loop below is already running and sees the new watermark
    this.firing = true;
    try {
      // Timers registered while firing with time ≤ wm fire in this same loop (as Flink's).
      for (let t = this.event.peek(); t && t.time <= this.watermark; t = this.event.peek()) {
        this.event.take();
        this.fire({ ...t, outputWatermark });
      }
    } finally {
      this.firing = false;
    }
  }

  /** The wall clock reached the alarm: fires the processing-time timers that are due. */
  onAlarm(): void {
    const now = this.wallClock();
    for (let t = this.processing.peek(); t && t.time <= now; t = this.processing.peek()) {
      this.processing.take();
      this.fire({ ...t, outputWatermark: this.watermark });
    }
    this.rearm();
  }

  private rearm(): void {
    this.alarm(this.processing.peek()?.time ?? null);
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
    return this.event.live.size + this.processing.live.size;
  }
}
