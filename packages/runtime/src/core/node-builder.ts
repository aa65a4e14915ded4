import { edgeFromPort, edgeToPort, getKind, parseDuration, type GraphInfo, type PipelineDocument, type RecordSchema } from '@eddy/shared';
import type { JobOptions } from '../api.js';
import { NodeRuntime, type NodeRuntimeEnv } from './node-runtime.js';
import type { NodeLifecycle, Operator, OperatorContext } from './operator.js';
import type { SourceConnector } from './source.js';
import type { NodeFactories } from './node-factories.js';
import { MemoryStateBackend, type KeyedStateBackend } from '../state/keyed-state.js';
import { withTtl } from '../state/ttl.js';
import { NodeMetricsRecorder } from '../metrics/node-metrics.js';
import type { DeadLetterList } from './dead-letters.js';
import type { LiveRows } from './live-rows.js';
import { ArraySource } from './array-source.js';
import { redactSecrets } from './redact.js';
import type { NodeSnapshot } from './checkpoint-coordinator.js';

/** What building a node needs from its job (one thread's job, or one parallel subtask). */
export interface NodeBuildEnv {
  document: PipelineDocument;
  graph: GraphInfo;
  schemas: Record<string, Record<string, RecordSchema>>;
  options: JobOptions;
  fileRoots: readonly string[];
  /** Params with secrets filled in, per node (the operator alone sees them). */
  secretParams: Map<string, Record<string, unknown>>;
  runtimeEnv: NodeRuntimeEnv;
  deadLetters: DeadLetterList;
  liveRows: LiveRows;
  clock: () => number;
  wallClock: () => number;
  factories: NodeFactories;
  /** Whether the job takes checkpoints (a transactional sink then commits only with them). */
  checkpointed: boolean;
  /** Nodes whose input the parallel plan pre-aggregates (their operators take partials). */
  partialInputs?: ReadonlySet<string>;
}

/** One node, built: its runtime (edges are connected by the caller), its code, context and state. */
export interface BuiltNode {
  id: string;
  kind: string;
  runtime: NodeRuntime;
  ctx: OperatorContext;
  state: KeyedStateBackend;
  /** The operator or source: what open, checkpoints and close talk to. */
  code: NodeLifecycle;
  source?: SourceConnector;
}

/** Builds one node of the document with its state (restored from `snapshot` when given; its watermarks are the caller's, after wiring). */
export function buildNode(id: string, b: NodeBuildEnv, snapshot: NodeSnapshot | undefined): BuiltNode {
  const { document, graph, schemas, options } = b;
  const node = document.nodes[graph.indexOf.get(id)!];
  const inputSchemas: Record<string, RecordSchema> = {};
  for (const e of graph.incoming.get(id)!) {
    const s = schemas[e.from]?.[edgeFromPort(e)];
    if (s) inputSchemas[edgeToPort(e)] = s;
  }
  const base: KeyedStateBackend = options.stateBackend?.(id) ?? new MemoryStateBackend();
  const ttl = document.settings.stateTtl;
  const state = ttl ? withTtl(base, parseDuration(ttl), b.clock) : base;
  if (snapshot) state.importState(snapshot.state);
  const metrics = new NodeMetricsRecorder(options.metrics !== false, b.clock);
  let runtime: NodeRuntime;
  const ctx: OperatorContext = {
    node, pipelineId: options.pipelineId ?? document.name, document, inputSchemas, baseDir: options.baseDir, fileRoots: b.fileRoots, state,
    restored: snapshot?.operator,
    checkpointed: b.checkpointed,
    partialInput: b.partialInputs?.has(id),
    emit: (batch, port = 'out') => runtime.collect(batch, port),
    output: (record, time, wm, port = 'out') => runtime.output(record, time, wm, port),
    get timers() { return runtime.timers; },
    deadLetter: (record, reason) => { metrics.errors++; b.deadLetters.add(id, record, redactSecrets(reason), b.wallClock()); },
    countLate: (n) => { metrics.lateRecords += n; },
    countInput: (n) => { metrics.recordsIn += n; },
    currentWatermark: () => runtime.currentWatermark(),
    clock: b.clock,
    now: b.wallClock,
    log: options.log ?? ((line) => process.stdout.write(line + '\n')),
    publishRows: (rows, total) => b.liveRows.publish(id, rows, total),
  };
  // The catalog's category says which factory builds a kind (NodeFactories is split the same way).
  const withSecrets = b.secretParams.get(id);
  const params = withSecrets ? { ...node, params: withSecrets } : node;
  let operator: Operator | null = null;
  let source: SourceConnector | undefined;
  let code: NodeLifecycle;
  if (getKind(node.kind)?.category === 'source') {
    source = b.factories.sources[node.kind as keyof NodeFactories['sources']](params as never, ctx);
    const replacement = options.inputs?.[id];
    if (replacement) source = new ArraySource(replacement, source.eventTime, options.inputChunkSize ?? 1);
    code = source;
  } else {
    operator = b.factories.operators[node.kind as keyof NodeFactories['operators']](params as never, ctx);
    code = operator;
  }
  runtime = new NodeRuntime(id, node.kind, operator, metrics, b.runtimeEnv);
  if (state.settle) runtime.afterCall = () => state.settle!();
  return { id, kind: node.kind, runtime, ctx, state, code, source };
}
