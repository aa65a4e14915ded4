import type { Rec } from '../core/batch.js';
import { transferablesOf, type PackedBatches } from './batch-codec.js';
import { packTaps } from './wire-packing.js';
import { cutRecords } from './wire.js';

type TapMessage = { t: 'tap'; taps: [string, string, Rec[]][]; packed?: PackedBatches };

/**
 * Edge samples of a subtask's nodes (the embedder's `tap` with `sample`): only the newest records
 * of each node port, sent to the host packed with each report. (Every tapped batch, without a
 * sample, goes with the subtask's events instead: wire.ts `t`.)
 */
export class SubtaskTaps {
  private taps: [string, string, Rec[]][] = [];

  /** `fields`: the embedder's tapFields — only the records kept are cut to them, when they leave. */
  constructor(private readonly sample: number, private readonly fields: readonly string[] | undefined, private readonly send: (message: TapMessage, transfer: ArrayBuffer[]) => void) {}

  add(nodeId: string, port: string, records: Rec[]): void {
    const limit = this.sample;
    let entry = this.taps.find(([n, p]) => n === nodeId && p === port);
    if (!entry) this.taps.push((entry = [nodeId, port, []]));
    const kept = entry[2].concat(records.length > limit ? records.slice(-limit) : records);
    entry[2] = kept.length > limit ? kept.slice(-limit) : kept;
  }

  flush(): void {
    if (!this.taps.length) return;
    const fields = this.fields;
    const { taps, packed } = packTaps(fields ? this.taps.map(([n, p, records]) => [n, p, cutRecords(records, fields)]) : this.taps);
    this.taps = [];
    this.send({ t: 'tap', taps, packed }, transferablesOf(packed));
  }
}
