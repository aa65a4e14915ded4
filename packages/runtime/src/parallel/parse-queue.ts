/**
 * The pieces a subtask has to parse, one per turn of its event loop. Node hands a thread every
 * message that has come before it runs the next `setImmediate`, so another subtask's news (`m`,
 * which may deliver pieces parsed here) is handled before the pieces queued behind it are parsed:
 * a parsed piece waits for the news of the pieces before it, not behind the whole read-ahead.
 * Parsed records held shorter are fewer at each scavenge (measured: most of a subtask's garbage
 * collection was copying and promoting them).
 */
export class ParseQueue {
  private readonly queue: (() => void)[] = [];
  private scheduled = false;
  private closed = false;

  constructor(private readonly onError: (err: unknown) => void, private readonly afterEach: () => void = () => undefined) {}

  /** A piece waits to be parsed (and afterEach will run after it). */
  get pending(): boolean {
    return this.queue.length > 0 && !this.closed;
  }

  add(parse: () => void): void {
    if (this.closed) return;
    this.queue.push(parse);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.next);
    }
  }

  /** Drops what is not parsed yet (the job is over: nothing will deliver it). */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
  }

  private readonly next = (): void => {
    const parse = this.queue.shift();
    if (parse && !this.closed) {
      try {
        parse();
        this.afterEach();
      } catch (err) {
        this.onError(err);
      }
    }
    if (this.queue.length && !this.closed) setImmediate(this.next);
    else this.scheduled = false;
  };
}
