// `node scripts/smoke.mjs [baseUrl]`: the walking skeleton's acceptance check against a running Eddy
// (e.g. after `npm start`). POSTs a clickstream → filter → 1 s tumbling count → live table, deploys it,
// reads metrics and rows after 5 s, round-trips the export, sends bad documents, stops.
const base = process.argv[2] ?? `http://127.0.0.1:${process.env.PORT ?? 8090}`;
let failures = 0;
const check = (ok, what, detail = '') => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ` — ${detail}` : ''}`);
  if (!ok) failures++;
};
async function api(path, init = {}) {
  const res = await fetch(base + path, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  const text = await res.text();
  let body;
  try { body = JSON.parse(text); } catch { body = text; }
  return { status: res.status, body };
}

const doc = {
  format: 'eddy/pipeline@1', name: 'Smoke: views per country',
  nodes: [
    { id: 'clicks', kind: 'source.generator', params: { scenario: 'clickstream', ratePerSec: 500 } },
    { id: 'views', kind: 'filter', params: { where: "event_type = 'page_view'" } },
    { id: 'per_country', kind: 'window', params: { type: 'tumbling', size: '1s', keyBy: ['country'], aggregates: [{ name: 'views', fn: 'count' }] } },
    { id: 'live', kind: 'sink.live', params: {} },
  ],
  edges: [{ from: 'clicks', to: 'views' }, { from: 'views', to: 'per_country' }, { from: 'per_country', to: 'live' }],
};

const created = await api('/api/pipelines', { method: 'POST', body: JSON.stringify(doc) });
check(created.status === 201, 'create', `HTTP ${created.status}`);
const id = created.body.id;
const deployed = await api(`/api/pipelines/${id}/deploy`, { method: 'POST' });
check(deployed.body.state === 'running', 'deploy', JSON.stringify(deployed.body));
await new Promise((r) => setTimeout(r, 5000));
const m = (await api(`/api/pipelines/${id}/metrics`)).body.nodes;
check(m.clicks.recordsOut > 0 && m.clicks.ratePerSec > 0, 'records flow', `clicks out ${m.clicks.recordsOut}, ${m.clicks.ratePerSec}/s`);
check(typeof m.live.latencyMs.p99 === 'number', 'latency p99 is a number', `live p99 ${m.live.latencyMs.p99} ms`);
const rows = (await api(`/api/pipelines/${id}/nodes/live/rows`)).body.rows;
const row = rows[0] ?? {};
check(rows.length > 0 && ['window_start', 'window_end', 'country', 'views'].every((k) => k in row), 'rows', JSON.stringify(row));
const exported = (await api(`/api/pipelines/${id}/export?format=json`)).body;
const again = await api('/api/pipelines', { method: 'POST', body: JSON.stringify(exported) });
const reread = (await api(`/api/pipelines/${again.body.id}`)).body.document;
check(JSON.stringify(reread) === JSON.stringify(exported), 'export round-trips');
await api(`/api/pipelines/${again.body.id}`, { method: 'DELETE' });

const broken = {
  'unknown format': (d) => { d.format = 'eddy/pipeline@9'; },
  'unknown kind': (d) => { d.nodes[1].kind = 'filtre'; },
  'duplicate id': (d) => { d.nodes[2].id = 'views'; },
  'dangling edge': (d) => { d.edges[0].to = 'ghost'; },
  'unknown port': (d) => { d.edges[2].fromPort = 'nope'; },
  cycle: (d) => { d.edges.push({ from: 'views', to: 'clicks' }); d.nodes[0].kind = 'filter'; d.nodes[0].params = { where: 'true' }; },
  'missing param': (d) => { d.nodes[1].params = {}; },
  'expression syntax': (d) => { d.nodes[1].params.where = "event_type = 'x"; },
  'unknown field': (d) => { d.nodes[1].params.where = "evnt_type = 'x'"; },
};
for (const [what, breakIt] of Object.entries(broken)) {
  const d = structuredClone(doc);
  breakIt(d);
  const r = await api('/api/pipelines', { method: 'POST', body: JSON.stringify(d) });
  check(r.status === 400, `refuses ${what}`, r.body.error?.message);
}
const notJson = await api('/api/pipelines', { method: 'POST', body: '{ not json' });
check(notJson.status === 400, 'refuses a non-JSON body', notJson.body.error?.message);
const stopped = await api(`/api/pipelines/${id}/stop`, { method: 'POST' });
check(stopped.body.state === 'stopped', 'stop', stopped.body.state);
await api(`/api/pipelines/${id}`, { method: 'DELETE' });
console.log(failures ? `${failures} checks failed` : 'all checks passed');
process.exit(failures ? 1 : 0);
