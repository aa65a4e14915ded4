import { describe, expect, it } from 'vitest';
import type { KafkaMessage } from 'kafkajs';
import { kafkaPieces, parseKafkaPiece } from './pieces.js';

const message = (offset: number, value: Buffer | string | null): KafkaMessage =>
  ({ offset: String(offset), value: typeof value === 'string' ? Buffer.from(value) : value, key: null, timestamp: '0', attributes: 0, headers: {} }) as KafkaMessage;

/** What one thread's source makes of the messages: its records, and its dead letters with their reasons. */
function oneThread(partition: number, messages: KafkaMessage[]) {
  const records: unknown[] = [];
  const dead: [unknown, string][] = [];
  for (const m of messages) {
    const text = m.value ? m.value.toString('utf8') : null;
    let r: unknown = null;
    try { r = text === null ? null : JSON.parse(text); } catch { r = null; }
    if (r !== null && typeof r === 'object' && !Array.isArray(r)) records.push(r);
    else dead.push([text, `source.kafka 'src': offset ${m.offset} of partition ${partition} is not a JSON object`]);
  }
  return { records, dead };
}

describe('Kafka pieces', () => {
  it('cut a partition\'s batch in order at a byte or message bound, each piece ending at its last offset', () => {
    // Offsets with gaps (compaction, transaction markers), values of 10 bytes.
    const messages = Array.from({ length: 25 }, (_v, i) => message(100 + i * 3, `{"i":${String(i).padStart(3, '0')}}`));
    const byBytes = [...kafkaPieces(4, messages, 35, 1000)];
    expect(byBytes.map((p) => [p.count, p.last])).toEqual([[4, '109'], [4, '121'], [4, '133'], [4, '145'], [4, '157'], [4, '169'], [1, '172']]);
    const byCount = [...kafkaPieces(4, messages, 1 << 20, 10)];
    expect(byCount.map((p) => [p.count, p.last])).toEqual([[10, '127'], [10, '157'], [5, '172']]);
    // A value larger than the bound is a piece of its own.
    expect([...kafkaPieces(0, [message(0, 'x'.repeat(100)), message(1, '{}')], 10, 10)].map((p) => p.count)).toEqual([1, 1]);
  });

  it('parse to the records and dead letters of the source read on one thread (tombstones, empty and broken values, split characters)', () => {
    const euro = Buffer.from('{"p":"€"}');
    const values = [
      '{"a":1}', null, '', '[1,2]', 'not json',
      // A character's bytes cut between two messages: each is decoded on its own, as on one thread.
      euro.subarray(0, 7), euro.subarray(7),
      '{"b":"ü","n":null}', '{"big":true}', '"s"',
    ];
    // Offsets beyond a double's integers, with gaps: a reason still names the exact offset.
    const gaps = [0, 1, 2, 3, 4, 5, 6, 10, 11, 15];
    const messages = values.map((v, i) => ({ ...message(0, v), offset: (9_007_199_254_740_990n + BigInt(gaps[i])).toString() }));
    const want = oneThread(3, messages);
    const pieces = [...kafkaPieces(3, messages, 16, 3)];
    expect(pieces.length).toBeGreaterThan(2);
    const records: unknown[] = [];
    const dead: [unknown, string][] = [];
    for (const p of pieces) {
      // As a subtask gets it: a structured clone.
      const parsed = parseKafkaPiece(structuredClone(p.work), 'src', (raw, reason) => dead.push([raw, reason]));
      expect(parsed.at.length).toBe(parsed.records.length);
      expect(parsed.at.every((i) => i < p.count)).toBe(true);
      records.push(...parsed.records);
    }
    expect(records).toEqual(want.records);
    expect(dead).toEqual(want.dead);
    expect(dead.map(([, reason]) => reason)).toContain("source.kafka 'src': offset 9007199254741005 of partition 3 is not a JSON object");
  });
});
