// A parallel job's subtask thread: builds its Subtask from `init` and talks to the host
// (parentPort) and to the other subtasks (their MessagePorts) through wire events only.
import { parentPort, type MessagePort } from 'node:worker_threads';
import { registry } from '../registry.js';
import { Subtask } from './subtask.js';
import { HOST, type WireEvent } from './wire.js';
import type { FromSubtask, SubtaskInit, ToSubtask } from './protocol.js';

const host = parentPort!;

let peers: (MessagePort | null)[] = [];

async function start(init: SubtaskInit): Promise<void> {
  peers = init.peers as (MessagePort | null)[];
  try {
    // lmdb loads only for state on disk: a subtask's start-up pays for what it uses.
    const disk = init.stateDir ? new (await import('../state/lmdb-state.js')).LmdbEnvironment(init.stateDir) : null;
    subtask = new Subtask(init, send, (dest, events) => {
      if (dest === HOST) send({ t: 'events', events });
      else peers[dest]!.postMessage(events);
    }, registry, disk);
    peers.forEach((p) => p?.on('message', (events: WireEvent[]) => subtask!.receive(events, false)));
    await subtask.open();
    send({ t: 'ready' });
  } catch (err) {
    send({ t: 'failed', message: (err as Error).message, name: (err as Error).name });
  }
}
const send = (message: FromSubtask) => host.postMessage(message);
let subtask: Subtask | null = null;

host.on('message', (message: ToSubtask) => {
  switch (message.t) {
    case 'init': void start(message.init); return;
    case 'events': subtask?.receive(message.events, true); return;
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
