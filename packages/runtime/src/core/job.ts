import { withModelMetrics } from '../metrics/node-metrics.js';
import {
  edgeFromPort, edgeToPort, getKind, noCheckpoints, parsePipeline, validatePipeline, PipelineValidationError,
  type CheckpointInfo, type DeadLetter, type NodeMetrics, type PipelineDocument, type PipelineMetrics, type RestorePlan,
} from '@eddy/shared';
import type { JobHandle, JobOptions, JobOutcome, JobState, NodeState, RefusedRecord } from '../api.js';
import { allowListenersPerNode, Mailbox, runSources } from './async.js';
import type { NodeRuntime, NodeRuntimeEnv } from './node-runtime.js';
import { nodeFailure } from './node-error.js';
import { ReconvergeQueue } from './reconverge.js';
import { watermarkCaps } from './watermark-caps.js';
import { SourceDriver } from './source-driver.js';
import type { NodeLifecycle, OperatorContext } from './operator.js';
import { buildNode, type NodeBuildEnv } from './node-builder.js';
import { IngestError, isIngestible, type SourceConnector } from './source.js';
import type { NodeFactories } from './node-factories.js';
import type { KeyedStateBackend } from '../state/keyed-state.js';
import { DeadLetterList } from './dead-letters.js';
import { LiveRows } from './live-rows.js';
import { AckLog } from '../checkpoint/ack-log.js';
import { nodeError } from './node-error.js';
import { redactError, redactSecrets } from './redact.js';
import { resolveDocumentSecrets, SecretSource } from './secrets.js';
import { checkFilePaths, fileRootsFromEnv } from '../io/allowed-roots.js';
import { CheckpointCoordinator, checkpointNodesOf, planRestore } from './checkpoint-coordinator.js';
import { restoreSnapshots } from '../parallel/snapshots.js';
import { stateAnswer, type StateQuery } from './state-entries.js';

/**
 * Everything a job checks before it is built: the document, the files it names (inside the
 * allowed folders) and its secrets (from allowed names). Throws PipelineValidationError.
 * Also run on the calling thread for a job hosted on a worker, so a deploy refuses at once.
 */
export function checkJobDocument(input: unknown, options: Pick<JobOptions, 'baseDir' | 'fileRoots' | 'secretsFile'>) {
  const result = validatePipeline(input);
  if (!result.ok || !result.document || !result.graph || !result.schemas) throw new PipelineValidationError(result.errors);
  const fileRoots = options.fileRoots ?? fileRootsFromEnv();
  const refused = checkFilePaths(result.document, { baseDir: options.baseDir, roots: fileRoots });
  const secrets = resolveDocumentSecrets(result.document, new SecretSource({ secretsFile: options.secretsFile }));
  if (refused.length || secrets.issues.length) throw new PipelineValidationError([...refused, ...secrets.issues]);
  return { result: result as Required<Pick<typeof result, 'document' | 'graph' | 'schemas'>> & typeof result, fileRoots, secrets };
}

/**
 * A running pipeline, built from a document with the given factories (src/registry.ts in
 * production): core itself knows no operator or connector. Throws PipelineValidationError
 * on a bad document.
 */
export class Job implements JobHandle {
  readonly document: PipelineDocument;
  state: JobState = 'created';
  readonly done: Promise<JobOutcome>;
  private settle!: (outcome: JobOutcome) => void;
  private readonly nodes: NodeRuntime[] = [];
  private readonly states = new Map<string, KeyedStateBackend>();
  private readonly contexts = new Map<string, OperatorContext>();
  /** Each node's operator or source: what open, checkpoints and close talk to. */
  private readonly code = new Map<string, NodeLifecycle>();
  private readonly sources = new Map<string, SourceConnector>();
  private readonly drivers: SourceDriver[] = [];
  private readonly mailbox = new Mailbox();
  private readonly abort = new AbortController();
  private readonly deadLetterList: DeadLetterList;
  private readonly liveRows: LiveRows;
  private readonly clock = () => performance.now();
  private readonly wallClock: () => number;
  private stopping: Promise<void> | null = null;
  private runs: Promise<void>[] = [];
  readonly restorePlan: RestorePlan;
  private readonly coordinator: CheckpointCoordinator | null = null;
  private savepointOnStop = false;
  private finalCheckpoint: CheckpointInfo | null = null;
  private readonly ackLog: AckLog | null = null;

  constructor(input: unknown, private readonly options: JobOptions, factories: NodeFactories) {
    const { result, fileRoots, secrets } = checkJobDocument(input, options);
    this.document = result.document;
    allowListenersPerNode(this.abort.signal, this.document.nodes.length);
    this.wallClock = options.now ?? Date.now;
    this.done = new Promise((resolve) => { this.settle = resolve; });
    this.deadLetterList = new DeadLetterList((dl) => options.onDeadLetter?.(dl));
    this.liveRows = new LiveRows((nodeId, rows, total) => options.onRows?.(nodeId, rows, total));

    const checkpoint = options.restore ?? null;
    this.restorePlan = planRestore(checkpoint?.info ?? null, this.document);
    // A checkpoint of a parallel job comes back re-partitioned into this one thread.
    const restored = restoreSnapshots(checkpoint, this.restorePlan, this.document, null).host;
    if (options.checkpoints && this.document.settings.guarantee === 'at-most-once') this.ackLog = new AckLog(options.checkpoints.dir);
    const byId = new Map<string, NodeRuntime>();
    const env: NodeRuntimeEnv = {
      clock: this.clock, wallClock: this.wallClock, tap: options.tap, reconverge: new ReconvergeQueue(),
      runTask: (task) => { Promise.resolve(this.mailbox.run(task)).catch((err) => this.fail(err)); },
    };
    const build: NodeBuildEnv = {
      document: this.document, graph: result.graph, schemas: result.schemas, options, fileRoots, secretParams: secrets.params,
      runtimeEnv: env, deadLetters: this.deadLetterList, liveRows: this.liveRows, clock: this.clock, wallClock: this.wallClock, factories, checkpointed: !!options.checkpoints,
    };
    for (const id of result.graph.order) {
      const built = buildNode(id, build, restored.get(id));
      built.runtime.order = this.nodes.length;
      this.states.set(id, built.state);
      this.code.set(id, built.code);
      if (built.source) this.sources.set(id, built.source);
      this.contexts.set(id, built.ctx);
      byId.set(id, built.runtime);
      this.nodes.push(built.runtime);
    }
    for (const e of this.document.edges) byId.get(e.from)!.connect(edgeFromPort(e), byId.get(e.to)!, edgeToPort(e));
    for (const [id, caps] of watermarkCaps(this.document, result.graph.order)) byId.get(id)!.setWatermarkCaps(caps.map((ids) => ids.map((s) => byId.get(s)!)));
    const driverOf = new Map<string, SourceDriver>();
    for (const runtime of this.nodes) {
      const snapshot = restored.get(runtime.id);
      if (snapshot) runtime.restoreWatermarks(snapshot.watermarks);
      const source = this.sources.get(runtime.id);
      if (!source) continue;
      const ackLog = this.ackLog;
      const driver = new SourceDriver(runtime, source, this.document.settings, this.mailbox, this.clock,
        this.wallClock, this.contexts.get(runtime.id)!.deadLetter, (err) => this.fail(err),
        ackLog ? (upTo) => ackLog.ack(runtime.id, upTo) : undefined);
      if (snapshot?.source) driver.restore(snapshot.source);
      driverOf.set(runtime.id, driver);
      this.drivers.push(driver);
    }
    if (options.checkpoints) {
      const fingerprints = checkpointNodesOf(this.document);
      const participants = this.nodes.map((n) => ({
        id: n.id, kind: n.kind, fingerprint: fingerprints[n.id].fingerprint, code: this.code.get(n.id)!, runtime: n, state: this.states.get(n.id)!, driver: driverOf.get(n.id),
      }));
      this.coordinator = new CheckpointCoordinator(participants, options.checkpoints, this.mailbox, this.wallClock,
        (err) => this.fail(err), (line) => (options.log ?? console.error)(redactSecrets(line)));
    }
  }

  async start(): Promise<void> {
    if (this.state !== 'created') throw new Error(`A job starts once; this one is ${this.state}`);
    this.state = 'running';
    try {
      await this.coordinator?.init();
      if (this.ackLog && this.options.resumeFromAcks) {
        // At-most-once after a crash: sources go on after what they acknowledged, past the checkpoint.
        const acks = await this.ackLog.read();
        for (const d of this.drivers) if (acks[d.nodeId]) d.restore(acks[d.nodeId]);
      } else await this.ackLog?.reset();
      for (const n of this.nodes) {
        try {
          await this.code.get(n.id)!.open?.();
        } catch (err) {
          throw nodeError(n.id, n.kind, err);
        }
      }
    } catch (err) {
      await this.fail(err);
      return;
    }
    this.coordinator?.startPeriodic(this.document.settings.checkpointIntervalMs);
    this.runs = runSources(this.drivers, this.abort.signal, this.mailbox, () => this.finish('finished'), (err) => this.fail(err));
  }

  stop(): Promise<void> {
    if (this.state !== 'running' && this.state !== 'created') return this.stopping ?? Promise.resolve();
    return this.finish('stopped');
  }

  async savepoint(): Promise<CheckpointInfo> {
    if (!this.coordinator) throw new Error('This job has no checkpoint storage: savepoints need one');
    if (this.state !== 'running') throw new Error(`A savepoint needs a running job; this one is ${this.state}`);
    this.savepointOnStop = true;
    await this.finish('stopped');
    if (!this.finalCheckpoint) throw new Error('The savepoint could not be written (see the log)');
    return this.finalCheckpoint;
  }

  async checkpoint(): Promise<CheckpointInfo | null> {
    // Once stopping, the final checkpoint is the last: one asked for later would race the closing sinks.
    if (!this.coordinator || this.state !== 'running' || this.stopping) return null;
    return this.coordinator.trigger('checkpoint');
  }

  private finish(state: 'finished' | 'stopped', error?: Error): Promise<void> {
    if (this.stopping) return this.stopping;
    this.abort.abort();
    this.stopping = (async () => {
      // Sources see the abort at their next step; wait for them so nothing enters a closed operator.
      await Promise.allSettled(this.runs);
      await this.mailbox.idle();
      if (this.coordinator) {
        this.coordinator.stopPeriodic();
        await this.coordinator.settle();
        // A stop or the end of bounded input ends with a checkpoint (a savepoint on request): a
        // restart resumes exactly here, and sinks commit everything before they close.
        if (!error) this.finalCheckpoint = await this.coordinator.trigger(this.savepointOnStop ? 'savepoint' : 'checkpoint');
      }
      let closeError: Error | undefined;
      for (const n of this.nodes) n.dispose();
      for (const n of this.nodes) {
        try {
          await this.code.get(n.id)!.close?.();
        } catch (err) {
          closeError ??= err as Error;
        }
      }
      for (const st of this.states.values()) await st.close?.();
      this.liveRows.flushAll();
      const outcome: JobOutcome = error ?? closeError ? { state: 'failed', error: redactError(error ?? closeError) } : { state };
      this.state = outcome.state;
      this.settle(outcome);
    })();
    return this.stopping;
  }

  private fail(err: unknown): Promise<void> {
    const error = err instanceof Error ? err : new Error(String(err));
    return this.finish('stopped', error);
  }

  metrics(): PipelineMetrics {
    const nodes: Record<string, NodeMetrics> = {};
    for (const n of this.nodes) nodes[n.id] = this.snapshotNode(n);
    return {
      pipelineId: this.options.pipelineId ?? this.document.name,
      at: this.wallClock(),
      nodes,
      deadLetters: this.deadLetterList.total,
      checkpoints: { ...(this.coordinator?.stats ?? noCheckpoints()) },
    };
  }

  nodeMetrics(nodeId: string): NodeMetrics | undefined {
    const n = this.nodes.find((x) => x.id === nodeId);
    return n && this.snapshotNode(n);
  }

  rows(nodeId: string): Record<string, unknown>[] {
    return this.liveRows.rows(nodeId);
  }

  deadLetters(): DeadLetter[] {
    return this.deadLetterList.list();
  }

  ingest(nodeId: string, records: Record<string, unknown>[], refused: RefusedRecord[] = []): Promise<void> {
    const n = this.nodes.find((x) => x.id === nodeId);
    if (!n) return Promise.reject(new IngestError('not_found', `No node '${nodeId}' in this pipeline`));
    const source = this.sources.get(nodeId);
    if (!source || !isIngestible(source)) return Promise.reject(new IngestError('not_ingestible', `Node '${nodeId}' is a ${n.kind}, not a source.http`));
    for (const r of refused) {
      n.metrics.errors++;
      this.deadLetterList.add(nodeId, r.record, r.reason, this.wallClock());
    }
    return records.length || !refused.length ? source.ingest(records) : Promise.resolve();
  }

  nodeState(nodeId: string, query: StateQuery = {}): NodeState | undefined {
    const backend = this.states.get(nodeId);
    return backend && { nodeId, ...stateAnswer(backend, query) };
  }

  private snapshotNode(n: NodeRuntime): NodeMetrics {
    const state = this.states.get(n.id)!;
    const isSink = getKind(n.kind)?.category === 'sink';
    return withModelMetrics(n.metrics.snapshot(this.clock(), this.wallClock(), { keys: state.keyCount(), bytes: state.approximateBytes() }, isSink), n.operator);
  }
}

export { parsePipeline };
