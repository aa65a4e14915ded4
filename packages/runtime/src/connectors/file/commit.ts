import { open, readFile, rm, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { fileSize } from '../../checkpoint/checkpoint-store.js';

/** A part file sealed by a checkpoint barrier: its name in the parts folder and its size. */
export interface SealedPart { file: string; bytes: number }

/**
 * Appends sealed parts to the target file, fsyncs it, and only then deletes the parts —
 * so after a crash either the target already holds them all, or every part still exists.
 * Returns the target's new length.
 */
export async function commitParts(target: string, partsDir: string, parts: SealedPart[]): Promise<number> {
  const fh = await open(target, 'a');
  try {
    for (const p of parts) await fh.appendFile(await readFile(join(partsDir, p.file)));
    await fh.sync();
  } finally {
    await fh.close();
  }
  for (const p of parts) await rm(join(partsDir, p.file), { force: true });
  return fileSize(target);
}

/**
 * Brings the target file to exactly what a restored checkpoint committed: the length before
 * its pending parts plus those parts. Parts already appended are not appended twice; a torn
 * append is cut off and redone; records written after the checkpoint are cut off.
 */
export async function recoverCommitted(target: string, partsDir: string, committedLength: number, pending: SealedPart[]): Promise<void> {
  await (await open(target, 'a')).close();
  const full = committedLength + pending.reduce((n, p) => n + p.bytes, 0);
  const length = await fileSize(target);
  if (length >= full) {
    if (length > full) await truncate(target, full);
    return;
  }
  for (const p of pending) {
    if ((await fileSize(join(partsDir, p.file))) !== p.bytes) {
      throw new Error(`sink.file: cannot restore ${target}: part ${p.file} of the checkpoint is missing or damaged`);
    }
  }
  await truncate(target, Math.min(length, committedLength));
  await commitParts(target, partsDir, pending);
}
