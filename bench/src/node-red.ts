import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Row } from './aggregators.js';
import { CAMPAIGN_OF, type Workload } from './workloads.js';

/**
 * Node-RED, embedded, as a Node-RED user would wire each workload: a json node, switch
 * nodes for simple filters, function nodes for the rest. Messages are fed to the first
 * node; Node-RED delivers them asynchronously in order, so a last message that passes
 * every filter (flagged `__end`) tells when all before it are through.
 */
const require = createRequire(import.meta.url);
const sinkCode = "if (msg.__end) { global.get('eddyEnd')(); return null; } global.get('eddySink')(msg.payload); return null;";
const END_PAYLOAD = JSON.stringify({ type: 'bid', event_type: 'view', auction: 0, ad_id: 'ad-0', bidder: 0, price: 0, ts: 0, event_time: 0 });
const fn = (id: string, func: string, next: string) => ({ id, type: 'function', z: 'tab', func, outputs: 1, wires: [[next]] });
const sw = (id: string, property: string, value: string, vt: 'str' | 'num', next: string) =>
  ({ id, type: 'switch', z: 'tab', property, propertyType: 'msg', rules: [{ t: 'eq', v: value, vt }], checkall: 'true', outputs: 1, wires: [[next]] });

const FLOWS: Record<string, unknown[]> = {
  ysb: [sw('f1', 'payload.event_type', 'view', 'str', 'm1'),
    fn('m1', "const p = msg.payload; msg.payload = { ad_id: p.ad_id, event_time: p.event_time, campaign_id: global.get('campaigns')[p.ad_id] ?? null }; return msg;", 'out')],
  q0: [],
  q1: [sw('f1', 'payload.type', 'bid', 'str', 'm1'),
    fn('m1', 'const p = msg.payload; msg.payload = { auction: p.auction, bidder: p.bidder, price: p.price * 0.908, ts: p.ts }; return msg;', 'out')],
  q2: [sw('f1', 'payload.type', 'bid', 'str', 'f2'), fn('f2', 'return msg.payload.auction % 123 === 0 ? msg : null;', 'm1'),
    fn('m1', 'msg.payload = { auction: msg.payload.auction, price: msg.payload.price }; return msg;', 'out')],
};

let RED: any;
let sink: (r: Row) => void = () => undefined;
let ended: () => void = () => undefined;

async function start(w: Workload): Promise<void> {
  const stages = FLOWS[w.name];
  if (!stages) throw new Error(`Node-RED cannot run ${w.name}`);
  const first = (stages[0] as { id: string } | undefined)?.id ?? 'out';
  const flows = [
    { id: 'tab', type: 'tab', label: w.name },
    { id: 'in', type: 'json', z: 'tab', property: 'payload', action: 'obj', wires: [[first]] },
    ...stages,
    { id: 'out', type: 'function', z: 'tab', func: sinkCode, outputs: 0, wires: [] },
  ];
  const userDir = mkdtempSync(join(tmpdir(), 'eddy-bench-nodered-'));
  writeFileSync(join(userDir, 'flows.json'), JSON.stringify(flows));
  RED = require('node-red');
  const events = require('@node-red/util').events;
  const started = new Promise<void>((resolve) => events.once('flows:started', () => resolve()));
  RED.init(createServer(), {
    userDir, flowFile: 'flows.json', httpAdminRoot: false, httpNodeRoot: false, disableEditor: true, credentialSecret: false,
    logging: { console: { level: 'off', metrics: false, audit: false } },
    functionGlobalContext: { eddySink: (r: Row) => sink(r), eddyEnd: () => ended(), campaigns: Object.fromEntries(CAMPAIGN_OF) },
  });
  await RED.start();
  await started;
}

export async function runNodeRed(w: Workload, path: string, emit: (r: Row) => void): Promise<void> {
  if (!RED) await start(w);
  const tail = w.tail?.();
  sink = tail ? tail.add : emit;
  const input = RED.nodes.getNode('in');
  const done = new Promise<void>((resolve) => { ended = resolve; });
  for (const line of readFileSync(path, 'utf8').split('\n')) if (line) input.receive({ payload: line });
  input.receive({ payload: END_PAYLOAD, __end: true });
  await done;
  if (tail) for (const r of tail.finish()) emit(r);
}
