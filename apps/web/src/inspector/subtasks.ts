import type { NodeMetrics } from '@eddy/shared';
import { fmtRate } from '../canvas/node-figures';
import { watermarkFigure } from '../ui/format';

/** One row of the inspector's Subtasks table, as display strings. */
export interface SubtaskRow {
  index: number;
  recordsIn: string;
  recordsOut: string;
  rate: string;
  backpressure: string;
  watermark: string;
  watermarkTitle: string;
  keys: string;
  /** The subtask with the most records in, when it has more than twice the mean of the others: a skewed key. */
  hot: boolean;
}

/** A subtask is hot when it holds more than this many times the mean of the other subtasks (so skew shows at 2 subtasks too). */
const HOT_FACTOR = 2;

/**
 * The rows of a node run in subtasks (settings.parallelism > 1), or null for a node run once.
 * A subtask's watermark lag is the node's (the minimum's) less how far that subtask is ahead
 * of the minimum, so both read against the same snapshot.
 */
export function subtaskRows(m: NodeMetrics | undefined): SubtaskRow[] | null {
  const subs = m?.subtasks;
  if (!m || !subs || subs.length < 2) return null;
  const held = subs.map((s) => s.recordsIn);
  const top = held.indexOf(Math.max(...held));
  const others = (held.reduce((a, b) => a + b, 0) - held[top]) / (held.length - 1);
  return subs.map((s, index) => {
    const lag = s.watermark === null || m.watermark === null || m.watermarkLagMs === null ? null : m.watermarkLagMs - (s.watermark - m.watermark);
    const wm = watermarkFigure(s.watermark, lag);
    return {
      index,
      recordsIn: s.recordsIn.toLocaleString('en-US'),
      recordsOut: s.recordsOut.toLocaleString('en-US'),
      rate: `${fmtRate(s.ratePerSec)}/s`,
      backpressure: `${Math.round(s.backpressure * 100)}%`,
      watermark: wm ? wm.text.replace(/^wm /, '') : '—',
      watermarkTitle: wm?.title ?? 'no watermark yet',
      keys: fmtRate(s.stateKeys),
      hot: index === top && held[index] > 0 && held[index] > HOT_FACTOR * others,
    };
  });
}
