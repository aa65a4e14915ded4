// A parallel job's subtask thread: builds its Subtask from `init` and talks to the host
// (parentPort) and to the other subtasks (their MessagePorts) through wire events only.
import { parentPort, type MessagePort } from 'node:worker_threads';
import { registry } from '../registry.js';
import { Subtask } from './subtask.js';
import { HOST, type WireEvent } from './wire.js';
import { packEvents, unpackEvents } from './wire-packing.js';
import { transferablesOf, type PackedBatches } from './batch-codec.js';
import type { FromSubtask, SubtaskInit, ToSubtask } from './protocol.js';

const host = parentPort!;

let peers: (MessagePort | null)[] = [];

async function start(init: SubtaskInit): Promise<void> {
  peers = init.peers as (MessagePort | null)[];
  let self: Subtask | null = null;
  try {
    // lmdb loads only for state on disk: a subtask's start-up pays for what it uses.
    const disk = init.stateDir ? new (await import('../state/lmdb-state.js')).LmdbEnvironment(init.stateDir) : null;
    // A kept thread serves later jobs: what this job's subtask says after it closed (a client
    // failing late, a timer) must not reach the next job, so it speaks only while it is current.
    const own = (message: FromSubtask, transfer?: ArrayBuffer[]) => { if (subtask === self) send(message, transfer); };
    self = subtask = new Subtask(init, own, (dest, events, load) => {
      if (subtask !== self) return;
      const message = packEvents(events);
      const transfer = message.packed ? transferablesOf(message.packed) : [];
      if (dest === HOST) send({ t: 'events', ...message, ...(load && { load }) }, transfer);
      else peers[dest]!.postMessage(message, transfer);
    }, registry, disk);
    const current = self;
    peers.forEach((p) => p?.on('message', (m: { events: WireEvent[]; packed?: PackedBatches }) => current.receive(unpackEvents(m.events, m.packed), false)));
    await subtask.open();
    if (subtask === self) send({ t: 'ready' });
  } catch (err) {
    // Not when this job has already closed (an open that failed late): the thread may serve another.
    if (subtask === self) send({ t: 'failed', message: (err as Error).message, name: (err as Error).name });
  }
}
const send = (message: FromSubtask, transfer: ArrayBuffer[] = []) => host.postMessage(message, transfer);
let subtask: Subtask | null = null;

host.on('message', (message: ToSubtask) => {
  switch (message.t) {
    case 'init': void start(message.init); return;
    case 'events': subtask?.receive(unpackEvents(message.events, message.packed), true); return;
    case 'complete': void subtask?.complete(message.id); return;
    case 'state': send({ t: 'state', id: message.id, state: subtask?.nodeState(message.nodeId, message.query) ?? null }); return;
    case 'close':
      void (async () => {
        const error = subtask ? await subtask.close() : undefined;
        // The thread may serve another job (parallel/subtask-threads.ts keeps clean ones): nothing of this one stays.
        for (const p of peers) p?.close();
        peers = [];
        subtask = null;
        send({ t: 'closed', ...(error && { error }) });
      })();
      return;
  }
});
