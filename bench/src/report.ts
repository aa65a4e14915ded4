import type { ImplName } from './impls.js';

export interface ResultRow {
  workload: string; impl: ImplName; mode: string; eventsPerSec: number | null; eventsPerCpuSec: number | null;
  iqr: number | null; p50Ms: number | null; p99Ms: number | null; p999Ms: number | null; rssMb: number | null;
}

const PEERS: ImplName[] = ['hand', 'rxjs', 'node-streams', 'node-red'];
const fmt = (v: number | null | undefined, d = 2) => (v === null || v === undefined ? '—' : v.toFixed(d));
const rate = (v: number | null) => (v === null ? '—' : v >= 1e6 ? `${(v / 1e6).toFixed(2)} M` : `${(v / 1e3).toFixed(0)} k`);

/** Markdown: throughput per implementation, and Eddy's ratios to the limit and to each peer. */
export function markdown(rows: ResultRow[], workloads: string[], notes: string[]): string {
  const get = (w: string, impl: ImplName) => rows.find((r) => r.workload === w && r.impl === impl && r.eventsPerSec !== null);
  const out = ['| workload | hand (limit) | Eddy native | Eddy microbatch | RxJS | Node streams | Node-RED |', '|---|---|---|---|---|---|---|'];
  for (const w of workloads) {
    out.push(`| ${w} | ${['hand', 'eddy-native', 'eddy-microbatch', 'rxjs', 'node-streams', 'node-red'].map((i) => rate(get(w, i as ImplName)?.eventsPerSec ?? null)).join(' | ')} |`);
  }
  out.push('', 'Events per second, median of the repetitions.', '');
  out.push('| workload | native / hand | microbatch / hand | microbatch / native | native / RxJS | native / streams | native / Node-RED | metrics on / off | checkpoints on / off | LMDB / memory state | parallelism 2 / 1 | hand, 2 threads / 1 |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const w of workloads) {
    const n = get(w, 'eddy-native')?.eventsPerSec ?? null;
    const m = get(w, 'eddy-microbatch')?.eventsPerSec ?? null;
    const ratio = (a: number | null, b: number | null | undefined) => (a !== null && b ? fmt(a / b) : '—');
    // A few per cent of cost: per CPU-second, which other work on the machine disturbs less than wall time.
    const cpu = (impl: ImplName) => get(w, impl)?.eventsPerCpuSec ?? null;
    out.push(`| ${w} | ${ratio(n, get(w, 'hand')?.eventsPerSec)} | ${ratio(m, get(w, 'hand')?.eventsPerSec)} | ${ratio(m, n)} | ${ratio(n, get(w, 'rxjs')?.eventsPerSec)} | ${ratio(n, get(w, 'node-streams')?.eventsPerSec)} | ${ratio(n, get(w, 'node-red')?.eventsPerSec)} | ${ratio(cpu('eddy-native'), cpu('eddy-native-nometrics'))} | ${ratio(get(w, 'eddy-native-checkpoints')?.eventsPerSec ?? null, n)} | ${ratio(get(w, 'eddy-native-lmdb')?.eventsPerSec ?? null, n)} | ${ratio(get(w, 'eddy-native-p2')?.eventsPerSec ?? null, n)} | ${ratio(get(w, 'hand-p2')?.eventsPerSec ?? null, get(w, 'hand')?.eventsPerSec)} |`);
  }
  const json = get('score', 'eddy-native')?.eventsPerSec;
  const onnx = get('score-onnx', 'eddy-native')?.eventsPerSec;
  const onnxMicro = get('score-onnx', 'eddy-microbatch')?.eventsPerSec;
  const jsonMicro = get('score', 'eddy-microbatch')?.eventsPerSec;
  if (json && onnx) {
    out.push('', `ONNX model / its JSON twin (the same logistic model, records/s): native ${fmt(onnx / json)}${onnxMicro && jsonMicro ? `, microbatch ${fmt(onnxMicro / jsonMicro)}` : ''}.`);
  }
  const lat = rows.filter((r) => r.p50Ms !== null);
  if (lat.length) {
    out.push('', '| latency (open loop, 50 % of max rate) | rate | p50 ms | p99 ms | p99.9 ms |', '|---|---|---|---|---|');
    for (const r of lat) out.push(`| ${r.impl} (${r.workload}) | ${rate(r.eventsPerSec)} | ${fmt(r.p50Ms)} | ${fmt(r.p99Ms)} | ${fmt(r.p999Ms)} |`);
  }
  if (notes.length) out.push('', ...notes.map((n) => `- ${n}`));
  return out.join('\n') + '\n';
}

/** A bar chart of Eddy native / each peer per workload (log scale), as plain SVG. */
export function svg(rows: ResultRow[], workloads: string[]): string {
  const peers = PEERS;
  const colors: Record<string, string> = { hand: '#64748b', rxjs: '#8b5cf6', 'node-streams': '#0ea5e9', 'node-red': '#ef4444' };
  const get = (w: string, impl: ImplName) => rows.find((r) => r.workload === w && r.impl === impl)?.eventsPerSec ?? null;
  const W = 900, H = 360, left = 60, bottom = 300, top = 30;
  const group = (W - left - 20) / workloads.length;
  const bar = group / (peers.length + 1);
  const y = (ratio: number) => bottom - ((Math.log10(ratio) + 1) / 4) * (bottom - top); // 0.1× … 1000×
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`,
    `<text x="${left}" y="18" font-size="13" font-weight="bold">Eddy native throughput ÷ each implementation (log scale; above 1 = Eddy faster)</text>`];
  for (const t of [0.1, 1, 10, 100, 1000]) {
    parts.push(`<line x1="${left}" x2="${W - 20}" y1="${y(t)}" y2="${y(t)}" stroke="${t === 1 ? '#111' : '#ddd'}"/>`, `<text x="${left - 8}" y="${y(t) + 4}" text-anchor="end">${t}×</text>`);
  }
  workloads.forEach((w, i) => {
    const n = get(w, 'eddy-native');
    peers.forEach((p, j) => {
      const other = get(w, p);
      if (!n || !other) return;
      const r = Math.min(1000, Math.max(0.1, n / other));
      const x = left + i * group + j * bar + bar / 2;
      parts.push(`<rect x="${x}" y="${Math.min(y(r), y(1))}" width="${bar - 2}" height="${Math.abs(y(1) - y(r))}" fill="${colors[p]}"><title>${w}: ${p} ${r.toFixed(2)}×</title></rect>`);
    });
    parts.push(`<text x="${left + i * group + group / 2}" y="${bottom + 16}" text-anchor="middle">${w}</text>`);
  });
  peers.forEach((p, j) => parts.push(`<rect x="${left + j * 140}" y="${H - 30}" width="12" height="12" fill="${colors[p]}"/><text x="${left + j * 140 + 16}" y="${H - 20}">${p === 'hand' ? 'hand loop (limit)' : p}</text>`));
  parts.push('</svg>');
  return parts.join('\n');
}
