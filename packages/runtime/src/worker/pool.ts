import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Job threads, booted ahead when asked: loading the runtime in a fresh thread takes a good
 * part of a second, which a deploy (or a server restart resuming its pipelines) should not
 * wait for. A spare thread has loaded everything and waits for its job (worker/entry.ts);
 * it does not keep the process alive. One pool per process, by memory budget — the place
 * where N subtasks of one job will take their threads from.
 */
const REFILL_DELAY_MS = 3000;
const spares = new Map<number, Worker[]>();
const wanted = new Map<number, number>();

/** Keeps `count` spare job threads with this heap budget ready from now on (0 stops). */
export function prewarmJobThreads(count: number, memoryMb: number): void {
  wanted.set(memoryMb, count);
  const list = spares.get(memoryMb) ?? [];
  while (list.length > count) void list.pop()!.terminate();
  refill(memoryMb);
}

/** A job thread with this heap budget: a spare if one is ready, else a new one. Referenced (keeps the process alive). */
export function takeJobThread(memoryMb: number): Worker {
  const worker = spares.get(memoryMb)?.shift() ?? spawn(memoryMb);
  worker.removeAllListeners();
  worker.ref();
  // Later, not now: booting the next spare would compete with this job's start for the CPU.
  setTimeout(() => refill(memoryMb), REFILL_DELAY_MS).unref();
  return worker;
}

function refill(memoryMb: number): void {
  const list = spares.get(memoryMb) ?? [];
  spares.set(memoryMb, list);
  while (list.length < (wanted.get(memoryMb) ?? 0)) {
    const worker = spawn(memoryMb);
    worker.unref();
    // A spare that dies before it is used is dropped; the next take or refill starts another.
    const drop = () => { const i = list.indexOf(worker); if (i >= 0) list.splice(i, 1); };
    worker.once('error', drop);
    worker.once('exit', drop);
    list.push(worker);
  }
}

function spawn(memoryMb: number): Worker {
  return new Worker(entryFile(), { resourceLimits: { maxOldGenerationSizeMb: memoryMb } });
}

/** The compiled entry beside this file; under vitest (running src/) the one tsc wrote to dist/. */
function entryFile(): URL {
  const here = new URL('./entry.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = new URL(here.href.replace(/\/src\/worker\/entry\.js$/, '/dist/worker/entry.js'));
  if (existsSync(fileURLToPath(built))) return built;
  throw new Error(`The job thread's entry ${fileURLToPath(here)} is missing: build the runtime (npx tsc -b)`);
}
