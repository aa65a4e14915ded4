import type { Rec } from '../core/batch.js';
import { transferablesOf, type PackedBatches } from './batch-codec.js';
import { packTaps } from './wire.js';

type TapMessage = { t: 'tap'; taps: [string, string, Rec[]][]; packed?: PackedBatches };

/**
 * What a subtask's nodes tap (the embedder's `tap`): every tapped batch, or (edge samples,
 * `sample`) only the newest records of each node port; sent to the host packed.
 */
export class SubtaskTaps {
  private taps: [string, string, Rec[]][] = [];

  constructor(private readonly sample: number | undefined, private readonly send: (message: TapMessage, transfer: ArrayBuffer[]) => void) {}

  add(nodeId: string, port: string, records: Rec[]): void {
    const limit = this.sample;
    if (!limit) { this.taps.push([nodeId, port, records]); return; }
    let entry = this.taps.find(([n, p]) => n === nodeId && p === port);
    if (!entry) this.taps.push((entry = [nodeId, port, []]));
    const kept = entry[2].concat(records.length > limit ? records.slice(-limit) : records);
    entry[2] = kept.length > limit ? kept.slice(-limit) : kept;
  }

  flush(): void {
    if (!this.taps.length) return;
    const { taps, packed } = packTaps(this.taps);
    this.taps = [];
    this.send({ t: 'tap', taps, packed }, transferablesOf(packed));
  }
}
