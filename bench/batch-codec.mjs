// Cost of moving a batch between threads (docs/parallelism.md, issue 15): today's wire (v8
// structured clone of the records in postMessage) against the batch codec (pack into typed
// arrays + one string, postMessage with a transfer list, unpack). Both sides are timed as CPU
// time of this process, in microseconds per record: the sender's postMessage (and packing),
// then the receiver's receiveMessageOnPort (which deserializes) and unpacking. One thread does
// both ends of a MessageChannel, so each side's CPU is measured alone; no cross-thread waits.
// Records are generated as the sources make them (generator scenarios, through JSON.parse).
// --worker: the receiver is a real worker thread instead (the sender blocks while it drains the
// port, so the process's CPU time is the receiver's; no consumer column then).
// Not part of npm test. Run: npx tsc -b && node bench/batch-codec.mjs [rounds] [messages per round] [--worker]
import { MessageChannel, receiveMessageOnPort, Worker, isMainThread, workerData } from 'node:worker_threads';
import { isDeepStrictEqual } from 'node:util';

const dist = new URL('../packages/runtime/dist/', import.meta.url);
const { packBatches, unpackBatches, transferablesOf } = await import(new URL('parallel/batch-codec.js', dist).href);
const { SCENARIO_GENERATORS } = await import(new URL('connectors/generator/scenarios.js', dist).href);
const { SeededRandom } = await import(new URL('connectors/generator/random.js', dist).href);

const cpu = () => { const u = process.cpuUsage(); return u.user + u.system; };

// The receiving thread of --worker: waits for `go`, drains `count` messages, reports its CPU time.
if (!isMainThread) {
  const { port, shared } = workerData;
  const flag = new Int32Array(shared, 0, 4); // [state 0 idle / 1 go / 2 done, count, kind 0 clone / 1 codec]
  const out = new Float64Array(shared, 16, 1);
  for (;;) {
    let state;
    while ((state = Atomics.load(flag, 0)) !== 1 && state !== 3) Atomics.wait(flag, 0, state);
    if (state === 3) break;
    const t = cpu();
    for (let i = 0; i < flag[1]; i++) {
      const m = receiveMessageOnPort(port).message;
      if (flag[2] === 1) unpackBatches(m);
    }
    out[0] = cpu() - t;
    Atomics.store(flag, 0, 2);
    Atomics.notify(flag, 0);
  }
  process.exit(0);
}

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const inWorker = process.argv.includes('--worker');
const rounds = Number(args[0] ?? 7);
const perRound = Number(args[1] ?? 20);

function records(scenario, n, keep = () => true, map = (r) => r) {
  const rng = new SeededRandom();
  const out = [];
  for (let index = 0; out.length < n; index++) {
    const r = JSON.parse(JSON.stringify(SCENARIO_GENERATORS[scenario]({ rng: rng.reseed(7, index), index, ts: 1_700_000_000_000 + index, keys: 10_000 })));
    if (keep(r)) out.push(map(r));
  }
  return out;
}

// What crosses threads in the bench workloads: the host chains filter/map to the source.
const inputs = {
  'nexmark (mixed)': (n) => records('nexmark', n), // q8: persons and auctions; q0-like
  'bids (q5/q7/q11)': (n) => records('nexmark', n, (r) => r.type === 'bid'),
  'ad-events (full)': (n) => records('ad-events', n),
  'ysb projected': (n) => records('ad-events', n, (r) => r.event_type === 'view', (r) => ({ ad_id: r.ad_id, event_time: r.event_time })),
  clickstream: (n) => records('clickstream', n),
};

const batchOf = (recs, from) => ({
  records: recs, times: recs.map((_r, i) => 1_700_000_000_000 + i), wms: recs.map((_r, i) => 1_699_999_999_000 + i),
  arrivedAt: 123.4, seqs: recs.map((_r, i) => from + i),
});

/** Sends `batches` (one message each) and receives them all; returns [sender µs, receiver µs] of CPU. */
function post(port, kind, batches) {
  for (const b of batches) {
    if (kind === 'clone') port.postMessage([{ k: 'b', e: 0, c: 0, records: b.records, times: b.times, wms: b.wms, at: b.arrivedAt, seqs: b.seqs }]);
    else { const p = packBatches([b]); port.postMessage(p, transferablesOf(p)); }
  }
}

let worker = null;
function runInWorker(kind, batches) {
  if (!worker) {
    const { port1, port2 } = new MessageChannel();
    const shared = new SharedArrayBuffer(24);
    worker = { port: port1, flag: new Int32Array(shared, 0, 4), out: new Float64Array(shared, 16, 1),
      thread: new Worker(new URL(import.meta.url), { workerData: { port: port2, shared }, transferList: [port2] }) };
  }
  const t = cpu();
  post(worker.port, kind, batches);
  const send = cpu() - t;
  const { flag, out } = worker;
  flag[1] = batches.length; flag[2] = kind === 'codec' ? 1 : 0;
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
  Atomics.wait(flag, 0, 1);
  Atomics.store(flag, 0, 0);
  return [send, out[0]];
}

function runHere(kind, batches, sink) {
  const { port1, port2 } = new MessageChannel();
  let t = cpu();
  post(port1, kind, batches);
  const send = cpu() - t;
  t = cpu();
  for (let i = 0; i < batches.length; i++) {
    const m = receiveMessageOnPort(port2).message;
    sink.push(kind === 'clone' ? m[0].records : unpackBatches(m)[0].records);
  }
  const receive = cpu() - t;
  port1.close();
  return [send, receive];
}

/** A consumer reading two fields of every record (objects built by unpacking must not be slower to read). */
function touch(list) {
  let x = 0;
  for (const recs of list) for (const r of recs) { for (const k in r) x += typeof r[k] === 'number' ? 1 : 0; x += r.ts ? 1 : 0; }
  return x;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = (x) => x.toFixed(3);
console.log(`node ${process.version}, receiver ${inWorker ? 'in a worker thread' : 'on the same thread'}, ${rounds} rounds of ${perRound} messages per case (interleaved); µs of CPU per record, median [min–max]`);
console.log('| records | batch | clone send | clone recv | clone total | codec pack+send | codec recv+unpack | codec total | codec/clone | read clone | read codec |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const [name, make] of Object.entries(inputs)) {
  // 100: what one subtask gets of a small batch split by key (a message's fixed cost shows).
  for (const size of [100, 1000, 4000]) {
    const messages = perRound * Math.max(1, 1000 / size);
    const all = make(size * messages);
    const batches = Array.from({ length: messages }, (_x, i) => batchOf(all.slice(i * size, (i + 1) * size), i * size));
    // Same records out both ways.
    const viaClone = [], viaCodec = [];
    runHere('clone', batches.slice(0, 2), viaClone);
    runHere('codec', batches.slice(0, 2), viaCodec);
    if (!isDeepStrictEqual(viaClone, viaCodec)) throw new Error(`${name}: codec output differs from structured clone`);
    const res = { clone: [[], []], codec: [[], []], touchClone: [], touchCodec: [] };
    for (let r = 0; r < rounds + 1; r++) {
      for (const kind of r % 2 ? ['clone', 'codec'] : ['codec', 'clone']) {
        const sink = [];
        const [s, v] = inWorker ? runInWorker(kind, batches) : runHere(kind, batches, sink);
        const t = cpu();
        touch(sink);
        const used = cpu() - t;
        if (r === 0) continue; // warm-up
        const n = size * messages;
        res[kind][0].push(s / n);
        res[kind][1].push(v / n);
        (kind === 'clone' ? res.touchClone : res.touchCodec).push(used / n);
      }
    }
    const tot = (k) => res[k][0].map((s, i) => s + res[k][1][i]);
    const range = (xs) => `${f(median(xs))} [${f(Math.min(...xs))}–${f(Math.max(...xs))}]`;
    console.log(`| ${name} | ${size} | ${range(res.clone[0])} | ${range(res.clone[1])} | ${range(tot('clone'))} | ${range(res.codec[0])} | ${range(res.codec[1])} | ${range(tot('codec'))} | ${(median(tot('codec')) / median(tot('clone'))).toFixed(2)} | ${inWorker ? '–' : f(median(res.touchClone))} | ${inWorker ? '–' : f(median(res.touchCodec))} |`);
  }
}
if (worker) {
  Atomics.store(worker.flag, 0, 3);
  Atomics.notify(worker.flag, 0);
  await worker.thread.terminate();
}
