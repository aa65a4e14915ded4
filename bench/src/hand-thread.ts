import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { Row } from './aggregators.js';
import { ABSENT, NUMBER, OTHER, type FromHandThread, type RangeOut, type ToHandThread } from './hand-parallel.js';
import { compileStages, type Step } from './stages.js';
import { workloads, type Workload } from './workloads.js';

// One thread of the parallel hand loop (hand-parallel.ts): its ranges of the file, parsed and run through the stages.
const port = parentPort!;
let w: Workload;
let step: Step | null = null;
let tail: ReturnType<NonNullable<Workload['tail']>> | undefined;
let fd = -1;
let buf = Buffer.allocUnsafe(128 * 1024);

function range(i: number, from: number, to: number): void {
  if (to - from > buf.length) buf = Buffer.allocUnsafe(to - from);
  const got = readSync(fd, buf, 0, to - from, from);
  const text = buf.toString('utf8', 0, got);
  const reads = w.reads ?? [];
  const rows: Row[] = [];
  let pos = 0;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    if (nl > pos) {
      const parsed = JSON.parse(text.slice(pos, nl)) as Row;
      const r = step ? step(parsed) : parsed;
      if (r !== undefined) { if (tail) tail.add(r); else rows.push(r); }
    }
    pos = nl + 1;
  }
  const nums = new Float64Array(rows.length * reads.length);
  const kinds = new Uint8Array(nums.length);
  const others: unknown[] = [];
  for (let r = 0; r < rows.length; r++) {
    for (let f = 0; f < reads.length; f++) {
      const v = rows[r][reads[f]];
      const at = r * reads.length + f;
      if (typeof v === 'number') nums[at] = v;
      else if (v === undefined) kinds[at] = ABSENT;
      else { kinds[at] = OTHER; others.push(v); }
    }
  }
  outbox.push({ i, n: rows.length, nums, kinds, others });
  transfer.push(nums.buffer, kinds.buffer);
  if (outbox.length === 1) setImmediate(flush);
}

// The ranges' outputs leave together once the ranges that came meanwhile are done: one wake-up of the main thread for several.
let outbox: RangeOut[] = [];
let transfer: ArrayBuffer[] = [];
function flush(): void {
  port.postMessage({ t: 'outs', outs: outbox } satisfies FromHandThread, transfer);
  outbox = [];
  transfer = [];
}

port.on('message', (m: ToHandThread) => {
  try {
    if (m.t === 'run') {
      w = workloads.find((x) => x.name === m.workload)!;
      step = compileStages(w.stages);
      tail = w.tail?.();
      if (fd >= 0) closeSync(fd);
      fd = openSync(m.path, 'r');
    } else if (m.t === 'range') range(m.i, m.from, m.to);
    else {
      if (outbox.length) flush();
      port.postMessage({ t: 'end', rows: tail ? tail.finish() : [] } satisfies FromHandThread);
    }
  } catch (err) {
    port.postMessage({ t: 'error', message: (err as Error).message } satisfies FromHandThread);
  }
});
