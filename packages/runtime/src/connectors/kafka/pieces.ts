import type { KafkaMessage } from 'kafkajs';
import type { Rec } from '../../core/batch.js';
import { parseJsonObject } from '../common/json-object.js';

/** A piece is cut once its values hold this many bytes (as a JSON-lines file's pieces), or at this many messages. */
export const PIECE_BYTES = 64 * 1024;
export const PIECE_MESSAGES = 2048;

/**
 * Consecutive messages of one partition, as a subtask parses them (parallel/piece-parser.ts):
 * their values end to end in one buffer (one copy across threads, decoded there), each value's
 * end, and each offset as a distance from the first (for a dead letter's reason).
 */
export interface KafkaPieceWork {
  partition: number;
  bytes: Uint8Array;
  ends: Uint32Array;
  first: string;
  gaps: Float64Array;
  /** Messages without a value (tombstones): dead letters as on one thread. */
  nulls?: number[];
}

export interface KafkaPiece { work: KafkaPieceWork; count: number; last: string }

/** Cuts a batch of one partition's messages into pieces, in order. */
export function* kafkaPieces(partition: number, messages: KafkaMessage[], maxBytes = PIECE_BYTES, maxMessages = PIECE_MESSAGES): Generator<KafkaPiece> {
  let from = 0;
  while (from < messages.length) {
    let to = from;
    let bytes = 0;
    while (to < messages.length && to - from < maxMessages && (to === from || bytes < maxBytes)) bytes += messages[to++].value?.length ?? 0;
    yield cut(partition, messages.slice(from, to), bytes);
    from = to;
  }
}

function cut(partition: number, part: KafkaMessage[], size: number): KafkaPiece {
  const bytes = new Uint8Array(size);
  const ends = new Uint32Array(part.length);
  const gaps = new Float64Array(part.length);
  const first = BigInt(part[0].offset);
  let nulls: number[] | undefined;
  let at = 0;
  for (let i = 0; i < part.length; i++) {
    const v = part[i].value;
    if (v) { bytes.set(v, at); at += v.length; } else (nulls ??= []).push(i);
    ends[i] = at;
    gaps[i] = Number(BigInt(part[i].offset) - first);
  }
  return { work: { partition, bytes, ends, first: part[0].offset, gaps, ...(nulls && { nulls }) }, count: part.length, last: part[part.length - 1].offset };
}

/** The reason a message is a dead letter: the same words as the source read on one thread. */
export const notJsonObject = (nodeId: string, offset: string, partition: number) =>
  `source.kafka '${nodeId}': offset ${offset} of partition ${partition} is not a JSON object`;

/** A piece's records (JSON objects), each one's index in the piece; anything else is a dead letter. */
export function parseKafkaPiece(work: KafkaPieceWork, nodeId: string, deadLetter: (raw: unknown, reason: string) => void): { records: Rec[]; at: number[] } {
  const { partition, bytes, ends, gaps, nulls } = work;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const isNull = nulls && new Set(nulls);
  const offsetOf = (i: number) => (BigInt(work.first) + BigInt(gaps[i])).toString();
  const records: Rec[] = [];
  const at: number[] = [];
  let from = 0;
  for (let i = 0; i < ends.length; i++) {
    const to = ends[i];
    // Each value decoded on its own, as m.value.toString('utf8'): a broken character never spans two messages.
    const text = isNull?.has(i) ? null : buf.toString('utf8', from, to);
    from = to;
    const r = text === null ? null : parseJsonObject(text);
    if (r) { records.push(r); at.push(i); } else deadLetter(text, notJsonObject(nodeId, offsetOf(i), partition));
  }
  return { records, at };
}
