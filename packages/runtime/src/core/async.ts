import { setMaxListeners } from 'node:events';
/** A value or a promise of it: operators return promises only when they really wait. */
export type MaybePromise<T = void> = T | Promise<T>;

export const isPromise = (v: unknown): v is Promise<unknown> =>
  typeof v === 'object' && v !== null && typeof (v as Promise<unknown>).then === 'function';

/** Runs `next` after `first`, synchronously when `first` is not a promise. */
export function andThen(first: MaybePromise, next: () => MaybePromise): MaybePromise {
  return isPromise(first) ? first.then(next) : next();
}

/** Waits for every promise among `results`; synchronous when there is none. */
export function allDone(results: MaybePromise[]): MaybePromise {
  let pending: Promise<void>[] | undefined;
  for (const r of results) if (isPromise(r)) (pending ??= []).push(r);
  if (!pending) return;
  return pending.length === 1 ? pending[0] : Promise.all(pending).then(() => undefined);
}

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** A job's abort signal: every source may wait on it at once (a paced source sleeps on it), so one listener per node is expected, not a leak. */
export function allowListenersPerNode(signal: AbortSignal, nodes: number): void {
  setMaxListeners(nodes + 10, signal);
}

/** Lets timers and I/O run between batches of a source that could otherwise hog the thread. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The job's single mailbox (as Flink's task mailbox): every delivery into the graph runs
 * here one at a time, so operators never see two calls interleave even when a sink
 * awaits I/O. A synchronous task runs at once when the mailbox is idle.
 */
export class Mailbox {
  private tail: Promise<void> = Promise.resolve();
  /** Tasks queued or still awaiting; while > 0 new tasks queue behind them. */
  private pending = 0;
  private runningSync = false;

  run(task: () => MaybePromise): MaybePromise {
    if (this.pending === 0 && !this.runningSync) {
      this.runningSync = true;
      let result: MaybePromise;
      try {
        result = task();
      } finally {
        this.runningSync = false;
      }
      if (!isPromise(result)) return;
      this.pending++;
      const settled = result.finally(() => { this.pending--; });
      this.tail = settled.catch(() => undefined);
      return settled;
    }
    this.pending++;
    const next = this.tail.then(task).finally(() => { this.pending--; });
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Settles when everything queued so far has run. */
  idle(): Promise<void> {
    return this.tail;
  }
}

/** Runs tasks one after another (a checkpoint asked for while one is in flight waits for it); `busy` while one runs. */
export class OneAtATime<T> {
  private current: Promise<T> | null = null;

  get busy(): boolean {
    return this.current !== null;
  }

  run(task: () => Promise<T>): Promise<T> {
    const previous = this.current;
    const run = (async () => {
      await previous;
      return task();
    })();
    this.current = run;
    const clear = () => { if (this.current === run) this.current = null; };
    run.then(clear, clear);
    return run;
  }

  /** Settles when the task in flight (if any) has. */
  async settled(): Promise<void> {
    await this.current;
  }
}

/**
 * Runs a job's sources; when every one has ended on its own (not stopped), `onEnd` runs once
 * the mailbox is idle; a source's failure goes to `onError`. Returns the runs (a stop awaits them).
 */
export function runSources(drivers: { run(signal: AbortSignal): Promise<void> }[], signal: AbortSignal, mailbox: Mailbox,
  onEnd: () => Promise<void>, onError: (err: unknown) => unknown): Promise<void>[] {
  const runs = drivers.map((d) => d.run(signal));
  Promise.all(runs).then(
    async () => {
      if (signal.aborted) return;
      await mailbox.idle();
      await onEnd();
    },
    (err) => onError(err),
  );
  return runs;
}
