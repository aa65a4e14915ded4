import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { transferablesOf } from './batch-codec.js';
import type { MaybePromise } from '../core/async.js';
import type { StateAnswer, StateQuery } from '../core/state-entries.js';
import type { FromSubtask, SubtaskInit, ToSubtask } from './protocol.js';
import { MAX_IN_FLIGHT } from './load-reports.js';
import { StateQueries } from './state-query.js';

/**
 * Subtask threads that closed cleanly, kept (unref'd) for the next parallel job of this process,
 * by heap budget: a thread loads the runtime once (a few hundred ms), not once per job.
 */
const idleThreads = new Map<number, Worker[]>();
const MAX_IDLE_THREADS = 16;

/** The job's listeners (only these: Worker keeps internal ones of its own). */
function unlisten(worker: Worker): void {
  for (const event of ['message', 'error', 'exit', 'messageerror', 'online']) worker.removeAllListeners(event);
}

/**
 * V8's allocation-site pretenuring sees a subtask's parsed records outlive a scavenge (they wait
 * for their piece's delivery) and moves JSON.parse's allocations to old space, where they die at
 * the cost of mark-compacts: 15–20 % of a parallel job's CPU (docs/parallelism.md). The flag is
 * the process's (V8 has no per-isolate one); a single-thread job measured the same without it.
 */
let pretenuringOff = false;

function takeThread(memoryMb: number | undefined): Worker {
  const idle = idleThreads.get(memoryMb ?? 0)?.pop();
  if (idle) {
    unlisten(idle);
    idle.ref();
    return idle;
  }
  if (!pretenuringOff) {
    pretenuringOff = true;
    setFlagsFromString('--no-allocation-site-pretenuring');
  }
  return new Worker(subtaskEntry(), memoryMb ? { resourceLimits: { maxOldGenerationSizeMb: memoryMb } } : {});
}

function keepThread(worker: Worker, memoryMb: number | undefined): boolean {
  const list = idleThreads.get(memoryMb ?? 0) ?? [];
  if ([...idleThreads.values()].reduce((n, l) => n + l.length, 0) >= MAX_IDLE_THREADS) return false;
  idleThreads.set(memoryMb ?? 0, list);
  unlisten(worker);
  worker.unref();
  // A kept thread that dies (out of memory while idle cannot happen, but a crash can) leaves the pool.
  worker.once('exit', () => { const i = list.indexOf(worker); if (i >= 0) list.splice(i, 1); });
  list.push(worker);
  return true;
}

/**
 * The subtask threads of a parallel job, as the host sees them: started with a port to each
 * other (exchanges go thread to thread, not through the host), told things in order, and
 * watched for how far behind they are — the sources wait while one is too far behind.
 */
export class SubtaskThreads {
  private readonly workers: Worker[] = [];
  /** Subtasks that failed or died: their threads are not kept for another job. */
  private readonly broken = new Set<number>();
  private memoryMb: number | undefined;
  private readonly sent: number[] = [];
  private readonly hostDone: number[] = [];
  private readonly backlog: number[] = [];
  private waiters: (() => void)[] = [];
  private readonly closed: Promise<string | undefined>[] = [];
  private readonly closers: ((error: string | undefined) => void)[] = [];
  /** Stopping: nothing waits for a subtask any more. */
  private released = false;
  private readonly stateQueries = new StateQueries((k, message) => this.post(k, message));

  get count(): number {
    return this.workers.length;
  }

  /**
   * Starts `n` subtasks; resolves once each has opened its operators. `onMessage` gets
   * everything else they say; `onFail` a subtask that failed or died.
   */
  start(n: number, initOf: (k: number, peers: (MessagePort | null)[]) => SubtaskInit, memoryMb: number | undefined,
    onMessage: (k: number, m: FromSubtask) => void, onFail: (err: Error) => void): Promise<void> {
    const peers: (MessagePort | null)[][] = Array.from({ length: n }, () => new Array(n).fill(null));
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const { port1, port2 } = new MessageChannel();
        peers[i][j] = port1;
        peers[j][i] = port2;
      }
    }
    const ready: Promise<void>[] = [];
    this.memoryMb = memoryMb;
    for (let k = 0; k < n; k++) {
      const worker = takeThread(memoryMb);
      this.workers.push(worker);
      this.sent.push(0);
      this.hostDone.push(0);
      this.backlog.push(0);
      let closeWith!: (error: string | undefined) => void;
      this.closed.push(new Promise((resolve) => { closeWith = resolve; }));
      this.closers.push(closeWith);
      ready.push(new Promise((resolve, reject) => {
        const failed = (err: Error) => { this.broken.add(k); reject(err); onFail(err); };
        worker.on('message', (m: FromSubtask) => {
          if (m.t === 'ready') resolve();
          else if (m.t === 'failed') failed(Object.assign(new Error(m.message), { name: m.name }));
          else if (m.t === 'load') this.progress(k, m.hostDone, m.backlog);
          else if (m.t === 'events' && m.load) { this.progress(k, m.load.hostDone, m.load.backlog); onMessage(k, m); }
          else if (m.t === 'closed') closeWith(m.error);
          else if (m.t === 'state') this.stateQueries.answered(k, m.id, m.state);
          else onMessage(k, m);
        });
        worker.on('error', (err) => failed((err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new Error(`Subtask ${k} exceeded its memory budget of ${memoryMb} MB and the job was stopped (keep keyed state on disk, shorten windows, or raise the budget)`)
          : err));
        worker.on('exit', () => { this.broken.add(k); closeWith(undefined); this.stateQueries.lost(k); reject(new Error(`subtask ${k} exited`)); });
      }));
      const transfer = peers[k].filter((p) => p !== null);
      worker.postMessage({ t: 'init', init: initOf(k, peers[k]) } satisfies ToSubtask, transfer as never);
    }
    return Promise.all(ready).then(() => undefined);
  }

  post(k: number, message: ToSubtask): void {
    if (message.t === 'events') this.sent[k]++;
    this.workers[k]?.postMessage(message, message.t === 'events' && message.packed ? transferablesOf(message.packed) : undefined);
  }

  postAll(message: ToSubtask): void {
    for (let k = 0; k < this.workers.length; k++) this.post(k, message);
  }

  /** Every subtask's part of a node's keyed state (null from one that does not run it). */
  askState(nodeId: string, query: StateQuery): Promise<(StateAnswer | null)[]> {
    return this.stateQueries.ask(this.workers.length, nodeId, query);
  }

  /** A promise while some subtask is too far behind (the sources await it), else nothing. */
  gate(): MaybePromise {
    if (!this.overloaded()) return;
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Stopping: sources waiting on the gate go on (they see the stop). */
  release(): void {
    this.released = true;
    this.wake();
  }

  /** Asks every subtask to close; resolves with what they said failed (after at most `graceMs`); clean threads are kept for the next job, the rest end. */
  async close(graceMs = 30_000): Promise<string[]> {
    this.postAll({ t: 'close' });
    const answered = new Array<boolean>(this.workers.length).fill(false);
    const errors: (string | undefined)[] = await Promise.race([
      Promise.all(this.closed.map((c, k) => c.then((e) => { answered[k] = true; return e; }))),
      new Promise<undefined[]>((resolve) => setTimeout(() => resolve([]), graceMs).unref()),
    ]);
    await Promise.all(this.workers.map((w, k) => {
      const clean = answered[k] && !errors[k] && !this.broken.has(k);
      return clean && keepThread(w, this.memoryMb) ? undefined : w.terminate();
    }));
    return errors.filter((e): e is string => !!e);
  }

  private progress(k: number, hostDone: number, backlog: number): void {
    this.hostDone[k] = hostDone;
    this.backlog[k] = backlog;
    this.wake();
  }

  private overloaded(): boolean {
    if (this.released) return false;
    for (let k = 0; k < this.workers.length; k++) if (this.sent[k] - this.hostDone[k] > MAX_IN_FLIGHT || this.backlog[k] > 4 * MAX_IN_FLIGHT) return true;
    return false;
  }

  private wake(): void {
    if (this.overloaded()) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** The compiled subtask entry beside this file; under vitest (running src/) the one tsc wrote to dist/. */
function subtaskEntry(): URL {
  const here = new URL('./subtask-entry.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = new URL(here.href.replace(/\/src\/parallel\/subtask-entry\.js$/, '/dist/parallel/subtask-entry.js'));
  if (existsSync(fileURLToPath(built))) return built;
  throw new Error(`The subtask entry ${fileURLToPath(here)} is missing: build the runtime (npx tsc -b)`);
}
