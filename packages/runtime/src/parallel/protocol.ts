import type { MessagePort } from 'node:worker_threads';
import type { DeadLetter, NodeMetrics } from '@eddy/shared';
import type { Rec } from '../core/batch.js';
import type { WireEvent } from './wire.js';
import type { StateAnswer, StateQuery } from '../core/state-entries.js';
import type { PackedBatches } from './batch-codec.js';
import type { TrackerState } from './piece-order.js';

/** What a subtask is given when its thread starts. */
export interface SubtaskInit {
  index: number;
  parallelism: number;
  document: unknown;
  baseDir: string;
  fileRoots?: string[];
  secretsFile?: string;
  pipelineId?: string;
  metrics: boolean;
  /** Send every emitted batch to the host (the test harness, previews). */
  tap: boolean;
  /** Only these nodes' batches (absent: all). */
  tapNodes?: string[];
  /** Only these top-level fields of each tapped record cross to the host (the embedder reads no others). */
  tapFields?: string[];
  /** Keep only the newest N records per node port between reports (edge samples). */
  tapSample?: number;
  checkpointed: boolean;
  /** Sources replaced by given records (tests, the harness): their pieces carry the records. */
  givenInputs?: string[];
  /** Keyed state on disk (LMDB) in this folder (absent: in memory). */
  stateDir?: string;
  /** This subtask's snapshot of each node it restores (v8-serialized NodeSnapshot). */
  restore: [nodeId: string, data: Uint8Array][];
  /** Each source read in pieces and its watermark state as restored: every subtask delivers the pieces itself (parallel/piece-order.ts). */
  pieceSources: [id: string, state: TrackerState][];
  /** Ports to the other subtasks, by their index (its own is absent). */
  peers: (MessagePort | null)[];
  /** performance.timeOrigin of the host (clocks are per thread). */
}

export type ToSubtask =
  | { t: 'init'; init: SubtaskInit }
  | { t: 'events'; events: WireEvent[]; packed?: PackedBatches }
  | { t: 'complete'; id: number }
  /** A state view query for one node; answered by `{ t: 'state', id }`. */
  | { t: 'state'; id: number; nodeId: string; query: StateQuery }
  | { t: 'close' };

export type FromSubtask =
  | { t: 'ready' }
  /** `load`: the subtask's latest progress rides along when it has events for the host anyway. */
  | { t: 'events'; events: WireEvent[]; packed?: PackedBatches; load?: SubtaskLoad }
  /** Progress, for the host's backpressure (when no events go to the host). */
  | ({ t: 'load' } & SubtaskLoad)
  | { t: 'snap'; id: number; nodes: [nodeId: string, data: Uint8Array][] }
  | { t: 'ended' }
  | { t: 'metrics'; nodes: Record<string, NodeMetrics> }
  | { t: 'dead'; letters: DeadLetter[] }
  | { t: 'log'; lines: string[] }
  /** `packed`: the records, packed (wire.ts packTaps); the taps' own record lists are then empty. */
  | { t: 'tap'; taps: [nodeId: string, port: string, records: Rec[]][]; packed?: PackedBatches }
  | { t: 'failed'; message: string; name: string }
  | { t: 'closed'; error?: string }
  /** The answer to state query `id` (null: this subtask does not run the node). */
  | { t: 'state'; id: number; state: StateAnswer | null };

/** Host messages a subtask has handled, and messages waiting in it. */
export interface SubtaskLoad { hostDone: number; backlog: number }
