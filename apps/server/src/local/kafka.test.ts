import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kafkaCli } from './kafka-cli.js';
import { brokerAnswers, kafkaStatus, stopKafka } from './kafka.js';

const dataDir = mkdtempSync(join(tmpdir(), 'eddy-kafka-cli-'));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

afterAll(async () => {
  await stopKafka(dataDir, 5000);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('eddy kafka', () => {
  it('--help prints the verb usage; an unknown action or option is a usage error', async () => {
    const help = capture();
    expect(await kafkaCli(['--help'], help.io)).toBe(0);
    expect(help.out.join('\n')).toMatch(/eddy kafka start \[--port 9092\]/);
    const bad = capture();
    expect(await kafkaCli(['restart'], bad.io)).toBe(2);
    expect(bad.err.join('\n')).toMatch(/unknown action 'restart'/);
    expect(await kafkaCli(['start', '--bogus'], capture().io)).toBe(2);
    const port = capture();
    expect(await kafkaCli(['start', '--port', 'x', '--data', dataDir], port.io)).toBe(1);
    expect(port.err.join('\n')).toMatch(/--port is a port number/);
  });

  it('says clearly that Java is missing', async () => {
    const path = process.env.PATH;
    process.env.PATH = dataDir; // no java, no mvn there
    try {
      const c = capture();
      expect(await kafkaCli(['start', '--data', dataDir], c.io)).toBe(1);
      expect(c.err.join('\n')).toMatch(/Java is not installed .* needs Java 17/);
    } finally {
      process.env.PATH = path;
    }
  });

  it('start, status, start again (already running), stop', async () => {
    const status0 = capture();
    expect(await kafkaCli(['status', '--data', dataDir], status0.io)).toBe(3);
    expect(status0.out[0]).toMatch(/not running/);

    const start = capture();
    expect(await kafkaCli(['start', '--port', '0', '--data', dataDir], start.io)).toBe(0);
    expect(start.out[0]).toMatch(/^Kafka \d+\.\d+\.\d+ is running at 127\.0\.0\.1:\d+ \(pid \d+/);
    const s = kafkaStatus(dataDir);
    expect(s.running).toBe(true);
    expect(await brokerAnswers(Number(s.bootstrap!.split(':')[1]))).toBe(true);

    const again = capture();
    expect(await kafkaCli(['start', '--data', dataDir], again.io)).toBe(0);
    expect(again.out[0]).toBe(`Kafka is already running at ${s.bootstrap} (pid ${s.pid})`);

    const stop = capture();
    expect(await kafkaCli(['stop', '--data', dataDir], stop.io)).toBe(0);
    expect(stop.out).toEqual(['Kafka stopped']);
    expect(kafkaStatus(dataDir).running).toBe(false);
    expect(await brokerAnswers(Number(s.bootstrap!.split(':')[1]))).toBe(false);
    const stopAgain = capture();
    expect(await kafkaCli(['stop', '--data', dataDir], stopAgain.io)).toBe(0);
    expect(stopAgain.out).toEqual(['Kafka was not running']);
  }, 90_000);
});
