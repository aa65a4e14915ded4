// How far two threads scale parsing a JSON-lines file in 64 KB pieces, without Eddy: one thread
// parses every piece; then two worker threads parse alternate pieces, either posted their text by
// the main thread or given only the byte range to read themselves (what a subtask does since
// issue 15's piece reading). Usage: node bench/piece-scaling.mjs [file]
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { openSync, readFileSync, readSync } from 'node:fs';

const file = (isMainThread ? process.argv[2] : workerData.file) ?? '/tmp/eddy-bench-data/nexmark-400000-7.jsonl';
const PIECE = 64 * 1024;

function parsePiece(text) {
  const records = [];
  for (const line of text.split('\n')) if (line.trim()) records.push(JSON.parse(line));
  return records.length;
}

if (isMainThread) {
  const buf = readFileSync(file);
  const texts = [];
  const ranges = [];
  for (let from = 0; from < buf.length;) {
    const nl = buf.indexOf(10, Math.min(buf.length, from + PIECE));
    const to = nl < 0 ? buf.length : nl + 1;
    texts.push(buf.toString('utf8', from, to));
    ranges.push([from, to]);
    from = to;
  }
  const median = (a) => a.sort((x, y) => x - y)[a.length >> 1];
  const one = [];
  for (let rep = 0; rep < 7; rep++) { const t0 = performance.now(); for (const t of texts) parsePiece(t); one.push(performance.now() - t0); }
  const workers = [0, 1].map(() => new Worker(new URL(import.meta.url), { workerData: { file } }));
  await Promise.all(workers.map((w) => new Promise((r) => w.once('message', r))));
  const two = async (mode) => {
    const times = [];
    for (let rep = 0; rep < 7; rep++) {
      const t0 = performance.now();
      await Promise.all(workers.map((w, k) => new Promise((resolve) => {
        w.once('message', resolve);
        for (let i = k; i < texts.length; i += 2) w.postMessage(mode === 'text' ? texts[i] : ranges[i]);
        w.postMessage(null);
      })));
      times.push(performance.now() - t0);
    }
    return median(times);
  };
  const oneMs = median(one);
  const textMs = await two('text');
  const rangeMs = await two('range');
  for (const w of workers) void w.terminate();
  console.log(JSON.stringify({ pieces: texts.length, oneThreadMs: Math.round(oneMs), twoThreadsTextPostedMs: Math.round(textMs), twoThreadsReadOwnRangeMs: Math.round(rangeMs),
    scalingTextPosted: +(oneMs / textMs).toFixed(2), scalingReadOwnRange: +(oneMs / rangeMs).toFixed(2) }));
} else {
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  parentPort.postMessage('ready');
  parentPort.on('message', (m) => {
    if (m === null) { parentPort.postMessage('done'); return; }
    if (typeof m === 'string') { parsePiece(m); return; }
    const n = readSync(fd, buf, 0, m[1] - m[0], m[0]);
    parsePiece(buf.toString('utf8', 0, n));
  });
}
