import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { eventually, startServer, viewsPerCountry, type TestServer } from '../test-utils/harness.js';

// Debian's prometheus package; `npm test` installs it when missing.
const PROMTOOL = '/usr/bin/promtool';

let s: TestServer;
let id: string;
beforeAll(async () => {
  s = await startServer();
  id = (await s.api('/api/pipelines', { method: 'POST', json: viewsPerCountry() })).body.id;
  expect((await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST' })).status).toBe(200);
});
afterAll(async () => { await s.destroy(); });

const scrape = async () => {
  const res = await fetch(`${s.url}/metrics`);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
};
const value = (text: string, line: RegExp) => Number(line.exec(text)?.[1]);

describe('GET /metrics', () => {
  it('passes promtool check metrics on a live server with a running pipeline', async () => {
    const text = await eventually(async () => {
      const t = await scrape();
      return /eddy_node_watermark_timestamp_seconds\{pipeline="[^"]+",node="per_country"\}/.test(t) && t;
    }, 'a watermark in the exposition');
    expect(existsSync(PROMTOOL), `${PROMTOOL} is missing: apt-get install prometheus (npm test does it)`).toBe(true);
    const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('names figures in base units with _total counters, a latency summary with _sum and _count, and the process defaults', async () => {
    const text = await eventually(async () => {
      const t = await scrape();
      return value(t, new RegExp(`eddy_node_latency_seconds_count\\{pipeline="${id}",node="live"\\} (\\d+)`)) > 0 && t;
    }, 'latency observations at the sink');
    const l = `pipeline="${id}",node="live"`;
    expect(text).toMatch(/# TYPE eddy_node_latency_seconds summary/);
    for (const q of ['0.5', '0.95', '0.99', '0.999']) expect(text).toMatch(new RegExp(`eddy_node_latency_seconds\\{${l},quantile="${q}"\\} [\\d.e-]+\\n`));
    // Seconds, not milliseconds: a generator's records reach the sink well within a minute.
    expect(value(text, new RegExp(`eddy_node_latency_seconds\\{${l},quantile="0.5"\\} ([\\d.e-]+)`))).toBeLessThan(60);
    expect(value(text, new RegExp(`eddy_node_latency_seconds_sum\\{${l}\\} ([\\d.e-]+)`))).toBeGreaterThan(0);
    expect(value(text, new RegExp(`eddy_node_records_out_total\\{pipeline="${id}",node="clicks"\\} (\\d+)`))).toBeGreaterThan(0);
    // The watermark is a Unix time in seconds (this century), not milliseconds.
    const wm = value(text, new RegExp(`eddy_node_watermark_timestamp_seconds\\{pipeline="${id}",node="per_country"\\} ([\\d.e+]+)`));
    expect(wm).toBeGreaterThan(1e9);
    expect(wm).toBeLessThan(1e10);
    expect(text).toMatch(new RegExp(`eddy_pipeline_state\\{pipeline="${id}",state="running"\\} 1`));
    expect(text).toMatch(/# TYPE process_cpu_user_seconds_total counter/);
    expect(text).toMatch(/nodejs_eventloop_lag_seconds/);
    expect(text).not.toMatch(/_ms[{ ]/);
  });
});
