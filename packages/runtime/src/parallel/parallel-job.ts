import { withModelMetrics } from '../metrics/node-metrics.js';
import {
  edgeFromPort, edgeToPort, getKind,
  type CheckpointInfo, type DeadLetter, type NodeMetrics, type PipelineDocument, type PipelineMetrics, type RestorePlan,
} from '@eddy/shared';
import type { JobHandle, JobOptions, JobOutcome, JobState, NodeState, RefusedRecord } from '../api.js';
import { checkJobDocument } from '../core/job.js';
import { buildNode, type BuiltNode, type NodeBuildEnv } from '../core/node-builder.js';
import type { NodeRuntimeEnv } from '../core/node-runtime.js';
import { ReconvergeQueue } from '../core/reconverge.js';
import { allowListenersPerNode, andThen, Mailbox, runSources, type MaybePromise } from '../core/async.js';
import { DeadLetterList } from '../core/dead-letters.js';
import { LiveRows } from '../core/live-rows.js';
import { nodeError } from '../core/node-error.js';
import { redactError } from '../core/redact.js';
import { SourceDriver } from '../core/source-driver.js';
import { IngestError, isIngestible, piecewiseSourceOf } from '../core/source.js';
import { checkpointNodesOf, planRestore } from '../core/checkpoint-coordinator.js';
import type { NodeFactories } from '../core/node-factories.js';
import { planParallel, tappedBy, type ParallelPlan } from './plan.js';
import { batchOf, ChannelOut, HOST, Outbox, SourceMirrorOut, type WireEvent } from './wire.js';
import { packEvents, unpackEvents, unpackTaps } from './wire-packing.js';
import { END_BARRIER } from './subtask.js';
import { inletFor, type Inlet } from './channel-merge.js';
import { combineSubtaskMetrics } from './metrics.js';
import { restoreSnapshots } from './snapshots.js';
import type { FromSubtask } from './protocol.js';
import { SubtaskThreads } from './subtask-threads.js';
import { ParallelBarriers } from './barriers.js';
import { PieceReader } from './piece-reader.js';
import { combineStateAnswers } from './state-query.js';
import { stateAnswer, type StateQuery } from '../core/state-entries.js';

/**
 * A job run by N subtasks on worker threads (settings.parallelism > 1). This thread — the
 * host — runs the sources (one reader each) and the sinks (one writer each, so exactly-once
 * commits stay as they are); every operator between runs once per subtask, fed through key
 * exchanges. Checkpoints are aligned barriers from the sources through every channel; the
 * end of input is barrier 0. Results equal the single-thread job's (docs/parallelism.md).
 */
export class ParallelJob implements JobHandle {
  readonly document: PipelineDocument;
  state: JobState = 'created';
  readonly done: Promise<JobOutcome>;
  readonly restorePlan: RestorePlan;
  readonly plan: ParallelPlan;
  private settle!: (outcome: JobOutcome) => void;
  private readonly hostNodes = new Map<string, BuiltNode>();
  private readonly inbound = new Map<number, Inlet>();
  private readonly drivers: SourceDriver[] = [];
  private readonly driverOf = new Map<string, SourceDriver>();
  private readonly mailbox = new Mailbox();
  private readonly reconverge = new ReconvergeQueue();
  private readonly abort = new AbortController();
  private readonly deadLetterList: DeadLetterList;
  private readonly liveRows: LiveRows;
  private readonly clock = () => performance.now();
  private readonly wallClock: () => number;
  private readonly outbox: Outbox;
  private readonly threads = new SubtaskThreads();
  private readonly subMetrics: Record<string, NodeMetrics>[];
  private readonly restoredTask: Map<string, Uint8Array[]>;
  private runs: Promise<void>[] = [];
  private stopping: Promise<void> | null = null;
  private checkpointTimer: NodeJS.Timeout | null = null;
  private savepointOnStop = false;
  private finalCheckpoint: CheckpointInfo | null = null;
  private readonly fingerprints: CheckpointInfo['nodes'];
  /** Source positions, numbered as records leave the host for the subtasks (one counter: the order they left). */
  private readonly sequencer = { next: 0 };
  private readonly barrierRuns: ParallelBarriers;
  /** Sources read in pieces (plan.splitSources): their readers, offsets and piece order. */
  private readonly pieces: PieceReader;
  private readonly pieceRuns: { run(signal: AbortSignal): Promise<void> }[] = [];

  constructor(input: unknown, private readonly options: JobOptions, factories: NodeFactories, parallelism: number) {
    const { result, fileRoots, secrets } = checkJobDocument(input, options);
    this.document = result.document;
    allowListenersPerNode(this.abort.signal, this.document.nodes.length);
    this.plan = planParallel(this.document, result.graph.order, parallelism, tappedBy(options));
    this.fingerprints = checkpointNodesOf(this.document);
    this.wallClock = options.now ?? Date.now;
    this.done = new Promise((resolve) => { this.settle = resolve; });
    this.deadLetterList = new DeadLetterList((dl) => options.onDeadLetter?.(dl));
    this.liveRows = new LiveRows((nodeId, rows, total) => options.onRows?.(nodeId, rows, total));
    this.subMetrics = Array.from({ length: parallelism }, () => ({}));
    this.outbox = new Outbox((dest, events) => this.threads.post(dest, { t: 'events', ...packEvents(events) }), HOST, null, () => this.threads.gate());
    this.pieces = new PieceReader(parallelism, this.outbox, this.sequencer, this.clock, performance.timeOrigin);
    this.barrierRuns = new ParallelBarriers({
      document: this.document, options, hostNodes: this.hostNodes, threads: this.threads, mailbox: this.mailbox, reconverge: this.reconverge,
      pieces: this.pieces, splitSources: this.plan.splitSources, fingerprints: this.fingerprints,
      wallClock: () => this.wallClock(), fail: (err) => this.fail(err),
      sourceSnapshot: (id) => this.driverOf.get(id)?.snapshot() ?? (this.plan.splitSources.includes(id) ? this.pieces.snapshot(id) : undefined),
    });

    const checkpoint = options.restore ?? null;
    this.restorePlan = planRestore(checkpoint?.info ?? null, this.document);
    const { host, task } = restoreSnapshots(checkpoint, this.restorePlan, this.document, this.plan);
    this.restoredTask = task;
    const runtimeEnv: NodeRuntimeEnv = {
      clock: this.clock, wallClock: this.wallClock, tap: options.tap, reconverge: this.reconverge,
      runTask: (t) => { Promise.resolve(this.mailbox.run(t)).catch((err) => this.fail(err)); },
    };
    const build: NodeBuildEnv = {
      document: this.document, graph: result.graph, schemas: result.schemas, options, fileRoots, secretParams: secrets.params,
      runtimeEnv, deadLetters: this.deadLetterList, liveRows: this.liveRows, clock: this.clock, wallClock: this.wallClock, factories,
      checkpointed: !!options.checkpoints,
    };
    for (const id of this.plan.hostNodes) {
      const built = buildNode(id, build, host.get(id));
      built.runtime.order = this.hostNodes.size;
      built.runtime.onBarrier = (node, barrier) => this.barrierRuns.onHostBarrier(node, barrier);
      this.hostNodes.set(id, built);
    }
    for (const pe of this.plan.edges) {
      if (pe.to === 'host' && pe.route === 'local') {
        this.hostNodes.get(pe.edge.from)!.runtime.connect(edgeFromPort(pe.edge), this.hostNodes.get(pe.edge.to)!.runtime, edgeToPort(pe.edge));
      } else if (pe.to === 'host') {
        this.inbound.set(pe.index, inletFor(parallelism, this.hostNodes.get(pe.edge.to)!.runtime, edgeToPort(pe.edge)));
      } else if (pe.from === 'host') {
        const schema = result.schemas[pe.edge.from]?.[edgeFromPort(pe.edge)];
        this.hostNodes.get(pe.edge.from)!.runtime.connect(edgeFromPort(pe.edge),
          new ChannelOut(pe, 0, parallelism, this.outbox, schema, performance.timeOrigin, this.sequencer), edgeToPort(pe.edge));
      }
    }
    for (const built of this.hostNodes.values()) {
      const snapshot = host.get(built.id);
      if (snapshot) built.runtime.restoreWatermarks(snapshot.watermarks);
      if (!built.source) continue;
      if (this.plan.splitSources.includes(built.id)) {
        const source = piecewiseSourceOf(built);
        if (snapshot?.source?.position !== undefined) source.restorePosition?.(snapshot.source.position);
        this.pieces.add(built.id, source, snapshot?.source);
        this.pieceRuns.push({ run: (signal) => this.pieces.run(built.id, source, signal) });
        continue;
      }
      built.runtime.connect('out', new SourceMirrorOut(built.id, parallelism, this.outbox), 'in');
      const driver = new SourceDriver(built.runtime, built.source, this.document.settings, this.mailbox, this.clock,
        this.wallClock, built.ctx.deadLetter, (err) => this.fail(err));
      if (snapshot?.source) driver.restore(snapshot.source);
      this.driverOf.set(built.id, driver);
      this.drivers.push(driver);
    }
  }

  async start(): Promise<void> {
    if (this.state !== 'created') throw new Error(`A job starts once; this one is ${this.state}`);
    this.state = 'running';
    try {
      if (this.options.checkpoints) this.barrierRuns.nextCheckpoint = (await this.options.checkpoints.lastId()) + 1;
      await this.startSubtasks();
      this.started = true;
      for (const n of this.hostNodes.values()) {
        try {
          await n.code.open?.();
        } catch (err) {
          throw nodeError(n.id, n.kind, err);
        }
      }
    } catch (err) {
      await this.fail(err);
      return;
    }
    if (this.options.checkpoints) {
      this.checkpointTimer = setInterval(() => { if (!this.barrierRuns.busy) void this.checkpoint(); }, this.document.settings.checkpointIntervalMs);
      this.checkpointTimer.unref();
    }
    this.runs = runSources([...this.drivers, ...this.pieceRuns], this.abort.signal, this.mailbox, () => this.finish('finished'), (err) => this.fail(err));
  }

  private startSubtasks(): Promise<void> {
    // Everything chained to the sources: no operator runs in a subtask, so none is started.
    const n = this.plan.taskNodes.length || this.plan.splitSources.length ? this.plan.parallelism : 0;
    const o = this.options;
    return this.threads.start(n, (k, peers) => ({
      index: k, parallelism: n, document: this.document, baseDir: o.baseDir, fileRoots: o.fileRoots,
      secretsFile: o.secretsFile, pipelineId: o.pipelineId ?? this.document.name, metrics: o.metrics !== false,
      stateDir: o.subtaskStateDir && `${o.subtaskStateDir}/${k}`,
      givenInputs: o.inputs && Object.keys(o.inputs), tap: !!o.tap, tapNodes: o.tapNodes && [...o.tapNodes], tapFields: o.tapFields && [...o.tapFields], tapSample: o.tapSample, checkpointed: !!o.checkpoints,
      pieceSources: this.pieces.trackerStates(),
      restore: [...this.restoredTask].filter(([, list]) => list[k]).map(([id, list]) => [id, list[k]]),
      peers,
    }), o.subtaskMemoryMb, (k, m) => this.fromSubtask(k, m), (err) => void this.fail(err));
  }

  private fromSubtask(k: number, m: FromSubtask): void {
    switch (m.t) {
      case 'events':
        void this.mailbox.run(() => {
          let chain: MaybePromise = undefined;
          for (const ev of unpackEvents(m.events, m.packed)) chain = andThen(chain, () => this.deliver(ev));
          return andThen(chain, () => this.reconverge.drainAll());
        })?.catch?.((err: unknown) => this.fail(err));
        return;
      case 'snap': this.barrierRuns.onTaskBarrier(k, m.id, m.nodes); return;
      case 'ended': this.barrierRuns.onTaskBarrier(k, END_BARRIER, []); return;
      case 'metrics': this.subMetrics[k] = m.nodes; return;
      case 'dead': for (const dl of m.letters) this.deadLetterList.add(dl.nodeId, dl.record, dl.reason, dl.at ?? this.wallClock()); return;
      case 'log': for (const line of m.lines) (this.options.log ?? ((l: string) => process.stdout.write(l + '\n')))(line); return;
      case 'tap': for (const [nodeId, port, records] of unpackTaps(m.taps, m.packed)) this.options.tap?.(nodeId, port, records); return;
      default:
    }
  }

  private deliver(ev: WireEvent): MaybePromise {
    if (ev.k === 'm') { this.pieces.parsed(ev); return; }
    if (ev.k === 't') { this.options.tap?.(ev.node, ev.port, ev.records); return; }
    if (ev.k === 's' || ev.k === 'r' || ev.k === 'sb' || ev.k === 'sw' || ev.k === 'sd') return;
    const to = this.inbound.get(ev.e)!;
    switch (ev.k) {
      case 'b': return to.batch(ev.c, batchOf(ev, performance.timeOrigin));
      case 'w': return to.watermark(ev.c, ev.wm);
      case 'i': return to.idleness(ev.c, ev.idle);
      case 'x': return to.barrier(ev.c, ev.id);
      case 'p': return to.progress(ev.c, ev.seq);
    }
  }

  checkpoint(): Promise<CheckpointInfo | null> {
    // Once stopping, the final checkpoint is the last: one asked for later would race the closing sinks.
    if (!this.options.checkpoints || this.state !== 'running' || this.stopping) return Promise.resolve(null);
    return this.barrierRuns.trigger('checkpoint');
  }

  stop(): Promise<void> {
    if (this.state !== 'running' && this.state !== 'created') return this.stopping ?? Promise.resolve();
    return this.finish('stopped');
  }

  async savepoint(): Promise<CheckpointInfo> {
    if (!this.options.checkpoints) throw new Error('This job has no checkpoint storage: savepoints need one');
    if (this.state !== 'running') throw new Error(`A savepoint needs a running job; this one is ${this.state}`);
    this.savepointOnStop = true;
    await this.finish('stopped');
    if (!this.finalCheckpoint) throw new Error('The savepoint could not be written (see the log)');
    return this.finalCheckpoint;
  }

  private finish(state: 'finished' | 'stopped', error?: Error): Promise<void> {
    if (this.stopping) return this.stopping;
    this.abort.abort();
    this.threads.release();
    this.stopping = (async () => {
      await Promise.allSettled(this.runs);
      await this.mailbox.idle();
      if (this.checkpointTimer) clearInterval(this.checkpointTimer);
      await this.barrierRuns.settled();
      let closeError: Error | undefined;
      if (!error && this.started) {
        try {
          // A stop or the end of input ends with a checkpoint (a savepoint on request), then the
          // end marker: when it has passed every node, nothing is in flight between threads.
          if (this.options.checkpoints) this.finalCheckpoint = await this.barrierRuns.trigger(this.savepointOnStop ? 'savepoint' : 'checkpoint');
          if (!this.failure) await this.barrierRuns.run(END_BARRIER);
        } catch (err) {
          closeError = err as Error;
        }
      }
      for (const message of await this.threads.close()) closeError ??= new Error(message);
      for (const n of this.hostNodes.values()) n.runtime.dispose();
      for (const n of this.hostNodes.values()) {
        try {
          await n.code.close?.();
        } catch (err) {
          closeError ??= err as Error;
        }
      }
      for (const n of this.hostNodes.values()) await n.state.close?.();
      this.liveRows.flushAll();
      const failure = this.failure ?? error ?? closeError;
      const outcome: JobOutcome = failure ? { state: 'failed', error: redactError(failure) } : { state };
      this.state = outcome.state;
      this.settle(outcome);
    })();
    return this.stopping;
  }

  private failure: Error | undefined;
  private started = false;

  private fail(err: unknown): Promise<void> {
    const error = err instanceof Error ? err : new Error(String(err));
    this.failure ??= error;
    this.barrierRuns.rejectAll(error);
    return this.finish('stopped', error);
  }

  metrics(): PipelineMetrics {
    const nodes: Record<string, NodeMetrics> = {};
    for (const id of this.document.nodes.map((n) => n.id)) nodes[id] = this.nodeMetrics(id)!;
    return {
      pipelineId: this.options.pipelineId ?? this.document.name,
      at: this.wallClock(),
      nodes,
      deadLetters: this.deadLetterList.total,
      checkpoints: { ...this.barrierRuns.stats },
    };
  }

  nodeMetrics(nodeId: string): NodeMetrics | undefined {
    const built = this.plan.splitSources.includes(nodeId) ? undefined : this.hostNodes.get(nodeId);
    if (built) {
      const isSink = getKind(built.kind)?.category === 'sink';
      return withModelMetrics(built.runtime.metrics.snapshot(this.clock(), this.wallClock(), { keys: built.state.keyCount(), bytes: built.state.approximateBytes() }, isSink), built.runtime.operator);
    }
    if (!this.plan.taskNodes.includes(nodeId) && !this.plan.splitSources.includes(nodeId)) return undefined;
    return combineSubtaskMetrics(this.subMetrics.map((m) => m[nodeId]), this.wallClock());
  }

  rows(nodeId: string): Record<string, unknown>[] {
    return this.liveRows.rows(nodeId);
  }

  deadLetters(): DeadLetter[] {
    return this.deadLetterList.list();
  }

  ingest(nodeId: string, records: Record<string, unknown>[], refused: RefusedRecord[] = []): Promise<void> {
    const n = this.hostNodes.get(nodeId);
    const kind = n?.kind ?? this.document.nodes.find((d) => d.id === nodeId)?.kind; // an operator runs in the subtasks
    if (!kind) return Promise.reject(new IngestError('not_found', `No node '${nodeId}' in this pipeline`));
    if (!n?.source || !isIngestible(n.source)) return Promise.reject(new IngestError('not_ingestible', `Node '${nodeId}' is a ${kind}, not a source.http`));
    for (const r of refused) {
      n.runtime.metrics.errors++;
      this.deadLetterList.add(nodeId, r.record, r.reason, this.wallClock());
    }
    return records.length || !refused.length ? n.source.ingest(records) : Promise.resolve();
  }

  /**
   * An operator's keyed state lives in the subtasks: each is asked for its part (parallel/state-query.ts).
   * Before the subtasks start or once they stop, only their last figures are known.
   */
  async nodeState(nodeId: string, query: StateQuery = {}): Promise<NodeState | undefined> {
    const built = this.hostNodes.get(nodeId);
    if (built) return { nodeId, ...stateAnswer(built.state, query) };
    if (!this.plan.taskNodes.includes(nodeId)) return undefined;
    if (this.started && !this.stopping) return combineStateAnswers(nodeId, await this.threads.askState(nodeId, query), query);
    const m = this.nodeMetrics(nodeId)!;
    return { nodeId, keys: m.stateKeys, bytes: m.stateBytes, entries: [] };
  }
}
