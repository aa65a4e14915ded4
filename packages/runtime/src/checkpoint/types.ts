/** A source's part of a checkpoint (and of the at-most-once ack log): where to resume, and its watermark tracker's state. */
export interface SourceSnapshot {
  position: unknown;
  maxEventTime: number;
  /** Per split (Kafka partition): its maximum event time, for per-split watermarks. */
  splits?: Record<string, number>;
}
