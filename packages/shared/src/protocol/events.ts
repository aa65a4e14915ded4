import type { DeadLetter, PipelineMetrics, PipelineStatus } from './metrics.js';

/** Rows of a sink.live node, newest first. */
export interface RowsPayload { pipelineId: string; nodeId: string; rows: Record<string, unknown>[]; total: number }
/** Records seen on an edge being watched; `edge` is `<from node>:<output port>`. */
export interface SamplePayload { pipelineId: string; edge: string; records: Record<string, unknown>[] }
export interface WatchEdgePayload { pipelineId: string; edge: string }
/** A sink.live node whose `rows` events a client wants (the one it shows). */
export interface WatchRowsPayload { pipelineId: string; nodeId: string }
export interface DeadLetterPayload { pipelineId: string; deadLetter: DeadLetter }

/** Socket.io events, typed once for server and web app. */
export interface ServerToClientEvents {
  metrics: (payload: PipelineMetrics) => void;
  status: (payload: PipelineStatus) => void;
  rows: (payload: RowsPayload) => void;
  sample: (payload: SamplePayload) => void;
  deadLetter: (payload: DeadLetterPayload) => void;
  error: (payload: ApiError) => void;
}

export interface ClientToServerEvents {
  subscribe: (payload: { pipelineId: string }) => void;
  unsubscribe: (payload: { pipelineId: string }) => void;
  /** Start (watchEdge) or stop (unwatchEdge) `sample` events for an edge of a subscribed pipeline. */
  watchEdge: (payload: WatchEdgePayload) => void;
  unwatchEdge: (payload: WatchEdgePayload) => void;
  /**
   * Start (watchRows) or stop (unwatchRows) `rows` events of a sink.live node of a subscribed
   * pipeline: `rows` go only to the sockets watching that node. watchRows answers at once with
   * the node's latest rows, if it has any.
   */
  watchRows: (payload: WatchRowsPayload) => void;
  unwatchRows: (payload: WatchRowsPayload) => void;
}

/** Every error the API returns: `{ error: { code, message, details } }`. */
export interface ApiError { error: { code: string; message: string; details?: unknown } }

/** Stored pipeline as listed and read by the REST API. */
export interface PipelineSummary {
  id: string;
  name: string;
  revision: number;
  createdAt: string;
  updatedAt: string;
  state: PipelineStatus['state'];
}

export interface PipelineRecord extends PipelineSummary {
  document: import('../format/document.js').PipelineDocument;
}

export const SOCKET_METRICS_INTERVAL_MS = 1000;
