import { readFile, rename, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SourceSnapshot } from './types.js';

/**
 * At-most-once: each source's position is acknowledged on receipt, before its records enter
 * the graph, in `<checkpoint dir>/acks.json` (written to a temp file and renamed; not fsync'd,
 * so it survives a killed process, not a power cut). A restart after a crash resumes sources
 * there — past records whose results may be lost, never repeated.
 */
export class AckLog {
  private readonly path: string;
  private acks: Record<string, SourceSnapshot> = {};
  private writing: Promise<void> = Promise.resolve();
  private next: Promise<void> | null = null;
  private nextText = '{}';

  constructor(dir: string) {
    this.path = join(dir, 'acks.json');
  }

  async read(): Promise<Record<string, SourceSnapshot>> {
    try {
      return JSON.parse(await readFile(this.path, 'utf8')) as Record<string, SourceSnapshot>;
    } catch {
      return {};
    }
  }

  /** A run that does not resume forgets an earlier run's acknowledgements. */
  reset(): Promise<void> {
    this.acks = {};
    return this.write('{}');
  }

  /** Resolves once the position is on disk (writes are serialized, each carrying every source's latest). */
  ack(nodeId: string, position: SourceSnapshot): Promise<void> {
    this.acks[nodeId] = { position: position.position, maxEventTime: Number.isFinite(position.maxEventTime) ? position.maxEventTime : -1e300 };
    return this.write(JSON.stringify(this.acks));
  }

  /**
   * Group commit: acks that arrive while a write is under way share the next write, which
   * carries every source's latest position.
   */
  private write(text: string): Promise<void> {
    this.nextText = text;
    if (this.next) return this.next;
    const next = this.writing.then(async () => {
      this.next = null;
      const body = this.nextText;
      await mkdir(join(this.path, '..'), { recursive: true });
      await writeFile(`${this.path}.tmp`, body);
      await rename(`${this.path}.tmp`, this.path);
    });
    this.next = next;
    this.writing = next;
    return next;
  }
}
