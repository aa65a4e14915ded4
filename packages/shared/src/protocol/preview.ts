import type { DeadLetter } from './metrics.js';

/** What one edge carried during a preview run: the first records and how many in all. */
export interface EdgeCapture { from: string; fromPort: string; to: string; toPort: string; count: number; records: Record<string, unknown>[] }

/** The answer of `POST /api/preview`: a document run for a few seconds with its sinks captured. */
export interface PreviewResult {
  state: string;
  error: string | null;
  ranMs: number;
  /** What each edge carried: the first `limit` records and how many in all. */
  edges: EdgeCapture[];
  /** What each sink would have received (its real connector never opened). */
  sinks: Record<string, { kind: string; count: number; records: Record<string, unknown>[] }>;
  deadLetters: DeadLetter[];
}
