import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validatePipeline } from '@eddy/shared';
import { createJob } from '../../api.js';
import type { Rec } from '../../core/batch.js';

// The real Mosquitto broker on this machine (no mocks).
const URL = process.env.EDDY_TEST_MQTT ?? 'mqtt://127.0.0.1:1883';
const base = `eddy-test/${process.pid}`;
let client: MqttClient;
const received: { topic: string; data: Rec }[] = [];

beforeAll(async () => {
  client = await mqtt.connectAsync(URL);
  client.on('message', (topic, payload) => received.push({ topic, data: JSON.parse(payload.toString()) as Rec }));
  await client.subscribeAsync(`${base}/out/#`, { qos: 1 });
});
afterAll(async () => { await client.endAsync(); });

const doc = {
  format: 'eddy/pipeline@1', name: 'mqtt',
  nodes: [
    { id: 'sensors', kind: 'source.mqtt', params: { url: URL, topic: `${base}/in/+`, limit: 41, topicField: 'topic',
      fields: [{ name: 'device', type: 'string' }, { name: 'temp', type: 'number' }] } },
    { id: 'hot', kind: 'filter', params: { where: 'temp > 30' } },
    { id: 'alerts', kind: 'sink.mqtt', params: { url: URL, topic: `${base}/out/{device}` } },
  ],
  edges: [{ from: 'sensors', to: 'hot' }, { from: 'hot', to: 'alerts' }],
};

describe('MQTT source and sink', () => {
  it('subscribes before it runs, reads JSON messages with their topic, publishes per-device alerts', async () => {
    const seen: Rec[] = [];
    const job = createJob(doc, { baseDir: process.cwd(), tap: (node, _port, records) => { if (node === 'sensors') seen.push(...records); } });
    await job.start(); // the subscription is in place once start resolves
    const readings = Array.from({ length: 40 }, (_, i) => ({ device: `d${i % 4}`, temp: 20 + (i % 15) }));
    for (const [i, r] of readings.entries()) {
      await client.publishAsync(`${base}/in/${r.device}`, JSON.stringify(r), { qos: 1 });
      if (i === 10) await client.publishAsync(`${base}/in/d0`, 'garbage', { qos: 1 });
    }
    const outcome = await job.done;
    expect(outcome.state).toBe('finished');
    expect(seen).toEqual(readings.map((r) => ({ ...r, topic: `${base}/in/${r.device}` })));
    expect(job.deadLetters().map((d) => d.reason)).toEqual([`source.mqtt 'sensors': a message on ${base}/in/d0 is not a JSON object`]);
    const hot = readings.filter((r) => r.temp > 30);
    await expect.poll(() => received.length).toBe(hot.length);
    expect(received.map((m) => m.data)).toEqual(hot.map((r) => ({ ...r, topic: `${base}/in/${r.device}` })));
    expect(received.every((m) => m.topic === `${base}/out/${m.data.device}`)).toBe(true);
  });

  it('an unreachable broker fails the deployment; exactly-once is refused with the reason', async () => {
    const bad = createJob({ ...doc, nodes: [{ ...doc.nodes[0], params: { ...doc.nodes[0].params, url: 'mqtt://127.0.0.1:1' } }, ...doc.nodes.slice(1)] }, { baseDir: process.cwd() });
    await bad.start().catch(() => undefined);
    const failed = await bad.done;
    expect(failed.state).toBe('failed');
    expect(failed.error?.message).toMatch(/source.mqtt 'sensors': cannot connect to mqtt:\/\/127.0.0.1:1/);
    const errors = validatePipeline({ ...doc, settings: { guarantee: 'exactly-once' } }).errors.map((e) => e.message);
    expect(errors).toEqual([
      expect.stringMatching(/source.mqtt 'sensors' cannot give it: an MQTT broker cannot replay/),
      expect.stringMatching(/sink.mqtt 'alerts' cannot give it: a published message cannot be taken back/),
    ]);
  });
});
