import { withModelMetrics } from '../metrics/node-metrics.js';
import { serialize, deserialize } from 'node:v8';
import { edgeFromPort, edgeToPort, type DeadLetter } from '@eddy/shared';
import { checkJobDocument } from '../core/job.js';
import { buildNode, type BuiltNode, type NodeBuildEnv } from '../core/node-builder.js';
import type { NodeRuntime, NodeRuntimeEnv, WatermarkView } from '../core/node-runtime.js';
import { ReconvergeQueue } from '../core/reconverge.js';
import { andThen, Mailbox, type MaybePromise } from '../core/async.js';
import { DeadLetterList } from '../core/dead-letters.js';
import { LiveRows } from '../core/live-rows.js';
import { nodeError } from '../core/node-error.js';
import { redactError } from '../core/redact.js';
import { watermarkCaps } from '../core/watermark-caps.js';
import type { NodeSnapshot } from '../core/checkpoint-coordinator.js';
import type { NodeFactories } from '../core/node-factories.js';
import { stateAnswer, type StateAnswer, type StateQuery } from '../core/state-entries.js';
import type { LmdbEnvironment } from '../state/lmdb-state.js';
import { planParallel, tappedBy, type ParallelPlan } from './plan.js';
import { batchOf, ChannelOut, cutRecords, HOST, Outbox, type WireEvent } from './wire.js';
import { SubtaskTaps } from './subtask-taps.js';
import { inletFor, mergedInletsFor, type Inlet } from './channel-merge.js';
import type { FromSubtask, SubtaskInit, SubtaskLoad } from './protocol.js';
import { LoadReports } from './load-reports.js';
import { ParseQueue } from './parse-queue.js';
import { PieceParser } from './piece-parser.js';
import { PieceOrder, type Delivery } from './piece-order.js';
import { piecewiseSourceOf } from '../core/source.js';

/** The end-of-input marker travels as barrier 0 (checkpoints count from 1). */
export const END_BARRIER = 0;
/** Pieces a subtask parses between two messages to each other thread (at most). */
export const PARSES_PER_MESSAGE = 4;

/**
 * One subtask of a parallel job, on its own thread: an instance of every operator between
 * the sources and the sinks, fed by the host (sources) and the other subtasks (exchanges).
 * It aligns barriers per node as the single-thread job would see them, snapshots its
 * nodes for each checkpoint, and reports figures, dead letters and logs to the host.
 */
export class Subtask {
  private readonly nodes = new Map<string, BuiltNode>();
  /** This subtask's instance of each source read in pieces (no state: the host keeps offsets). */
  private readonly pieces = new Map<string, PieceParser>();
  /** The order the pieces enter the graph, worked out here from every subtask's news (parallel/piece-order.ts). */
  private readonly order = new PieceOrder((d) => this.delivered(d));
  /** Per planned edge from another thread: where its events go in (one channel, or a merge of N). */
  private readonly inbound = new Map<number, Inlet>();
  private readonly mirrors = new Map<string, { watermark: number; idle: boolean }>();
  private readonly mailbox = new Mailbox();
  // After parsed pieces, what waits to go leaves (afterParse): news of the pieces, with the taps and batches of the deliveries meanwhile.
  private readonly parsing = new ParseQueue((err) => this.fail(err), () => this.afterParse());
  private parsedSinceFlush = 0;
  private readonly reconverge = new ReconvergeQueue();
  private readonly outbox: Outbox;
  private readonly plan: ParallelPlan;
  private readonly snaps = new Map<number, { nodes: [string, Uint8Array][]; seen: number }>();
  private deadLetters: DeadLetter[] = [];
  private logs: string[] = [];
  /** Edge samples (init.tapSample): the newest records per node port, sent with each report. */
  private readonly taps: SubtaskTaps | null;
  /** The furthest source position the host has announced to this subtask. */
  private hostProgress = -1;
  private readonly outs: ChannelOut[] = [];
  private ticker: NodeJS.Timeout | null = null;
  private failed = false;
  private readonly loads: LoadReports;

  constructor(private readonly init: SubtaskInit, private readonly send: (message: FromSubtask, transfer?: ArrayBuffer[]) => void,
    private readonly postEvents: (dest: number, events: WireEvent[], load?: SubtaskLoad) => void, factories: NodeFactories,
    /** Keyed state on disk (init.stateDir), opened by the entry only when asked for: lmdb loads only then. */
    private readonly disk: LmdbEnvironment | null = null) {
    const { result, fileRoots, secrets } = checkJobDocument(init.document, init);
    const document = result.document;
    const tapped = tappedBy(init);
    const tapFields = init.tapFields;
    this.plan = planParallel(document, result.graph.order, init.parallelism, tapped);
    this.taps = init.tapSample ? new SubtaskTaps(init.tapSample, tapFields, send) : null;
    this.loads = new LoadReports((load) => send({ t: 'load', ...load }));
    // The latest load rides on the next message to the host (parallel/load-reports.ts).
    this.outbox = new Outbox((dest, events) => {
      const load = dest === HOST ? this.loads.take() : null;
      postEvents(dest, events, load ?? undefined);
    }, init.index, (ev) => this.deliver(ev), undefined, () => this.parsing.pending);
    const clock = () => performance.now();
    const runtimeEnv: NodeRuntimeEnv = {
      clock, wallClock: Date.now, reconverge: this.reconverge,
      // Every tapped batch goes to the host with the events, in order (tests and the harness act on them).
      tap: init.tap ? (nodeId, port, records) => {
        if (!tapped(nodeId, port)) return;
        if (this.taps) this.taps.add(nodeId, port, records);
        else this.outbox.add(HOST, { k: 't', node: nodeId, port, records: tapFields ? cutRecords(records, tapFields) : records });
      } : undefined,
      runTask: (task) => { Promise.resolve(this.mailbox.run(task)).catch((err) => this.fail(err)); },
    };
    const build: NodeBuildEnv = {
      document, graph: result.graph, schemas: result.schemas,
      options: { baseDir: init.baseDir, pipelineId: init.pipelineId, metrics: init.metrics, log: (line) => { this.logs.push(line); },
        inputs: init.givenInputs && Object.fromEntries(init.givenInputs.map((id) => [id, []])),
        stateBackend: disk ? (nodeId) => disk.backend(nodeId) : undefined },
      checkpointed: init.checkpointed,
      fileRoots, secretParams: secrets.params, runtimeEnv,
      deadLetters: new DeadLetterList((dl) => { this.deadLetters.push(dl); }),
      liveRows: new LiveRows(() => undefined), clock, wallClock: Date.now, factories,
      partialInputs: new Set(this.plan.edges.filter((pe) => pe.preAggregate).map((pe) => pe.edge.to)),
    };
    const restored = new Map(init.restore.map(([id, data]) => [id, deserialize(data) as NodeSnapshot]));
    for (const id of this.plan.taskNodes) {
      const built = buildNode(id, build, restored.get(id));
      built.runtime.order = this.nodes.size;
      built.runtime.onBarrier = (node, barrier) => this.onBarrier(node, barrier);
      this.nodes.set(id, built);
    }
    for (const id of this.plan.splitSources) {
      const built = buildNode(id, build, undefined);
      const source = piecewiseSourceOf(built);
      built.runtime.onBarrier = (node, barrier) => this.onBarrier(node, barrier);
      this.pieces.set(id, new PieceParser(built, source, Date.now));
      this.order.addSource(id, source.eventTime?.maxOutOfOrdernessMs ?? 0, init.pieceSources.find(([s]) => s === id)?.[1]);
    }
    const runtimeOf = (id: string) => (this.nodes.get(id) ?? this.pieces.get(id))!.runtime;
    const capsOf = new Map<string, WatermarkView[][]>();
    const caps = watermarkCaps(document, result.graph.order);
    const mirror = (source: string) => {
      let m = this.mirrors.get(source);
      if (!m) this.mirrors.set(source, (m = { watermark: -Infinity, idle: false }));
      return m;
    };
    const edgeNumber = new Map<string, number>();
    // A keyed node with several inputs fed by pieces: one merge for all its edges (plan.mergedInputs).
    const merged = new Map<number, Inlet>();
    for (const id of this.plan.mergedInputs) {
      const into = this.plan.edges.filter((pe) => pe.edge.to === id);
      const inlets = mergedInletsFor(init.parallelism, this.nodes.get(id)!.runtime, into.map((pe) => edgeToPort(pe.edge)));
      into.forEach((pe, t) => merged.set(pe.index, inlets[t]));
    }
    for (const pe of this.plan.edges) {
      if (pe.to !== 'task') continue;
      const target = this.nodes.get(pe.edge.to)!.runtime;
      const nth = edgeNumber.get(pe.edge.to) ?? 0;
      edgeNumber.set(pe.edge.to, nth + 1);
      const edgeCaps = (caps.get(pe.edge.to)?.[nth] ?? []).map(mirror);
      const list = capsOf.get(pe.edge.to) ?? [];
      if (pe.from === 'task' && pe.route === 'local') {
        runtimeOf(pe.edge.from).connect(edgeFromPort(pe.edge), target, edgeToPort(pe.edge));
        list.push(edgeCaps);
      } else {
        this.inbound.set(pe.index, merged.get(pe.index) ?? inletFor(pe.from === 'host' ? 1 : init.parallelism, target, edgeToPort(pe.edge)));
        list.push(edgeCaps);
      }
      capsOf.set(pe.edge.to, list);
    }
    for (const pe of this.plan.edges) {
      if (pe.from !== 'task' || pe.route === 'local') continue;
      const schema = result.schemas[pe.edge.from]?.[edgeFromPort(pe.edge)];
      const out = new ChannelOut(pe, init.index, init.parallelism, this.outbox, schema, performance.timeOrigin, null, () => this.hostProgress);
      this.outs.push(out);
      runtimeOf(pe.edge.from).connect(edgeFromPort(pe.edge), out, edgeToPort(pe.edge));
    }
    for (const [id, list] of capsOf) if (list.some((c) => c.length)) this.nodes.get(id)!.runtime.setWatermarkCaps(list);
    for (const [id, built] of this.nodes) {
      const snapshot = restored.get(id);
      if (snapshot) built.runtime.restoreWatermarks(snapshot.watermarks);
    }
  }

  async open(): Promise<void> {
    for (const n of this.nodes.values()) {
      try {
        await n.code.open?.();
      } catch (err) {
        throw nodeError(n.id, n.kind, err);
      }
    }
    this.ticker = setInterval(() => this.report(), 500);
    this.ticker.unref();
  }

  /** Events from the host (fromHost) or a peer subtask, handled in order in the mailbox. */
  receive(events: WireEvent[], fromHost: boolean): void {
    this.loads.received(fromHost);
    Promise.resolve(this.mailbox.run(() => {
      let chain: MaybePromise = undefined;
      for (const ev of events) chain = andThen(chain, () => this.deliver(ev));
      return andThen(andThen(chain, () => this.reconverge.drainAll()), () => {
        this.progressOut();
        this.loads.handled(fromHost);
      });
    })).catch((err) => this.fail(err));
  }

  /** Everything from the sources up to hostProgress has passed this subtask's stateless chains: the channels out of it say so, so merges downstream need not wait for them. */
  private progressOut(): void {
    for (const out of this.outs) out.progress(this.hostProgress);
  }

  /** Parses a piece this subtask owns; its news goes to the host and every other subtask, and into this one's order. */
  private parse(ev: Extract<WireEvent, { k: 'r' }>): void {
    const { max, lines } = this.pieces.get(ev.source)!.read(ev.piece, ev.seq0, ev.at - performance.timeOrigin, ev.work);
    const news = {
      k: 'm', source: ev.source, piece: ev.piece, max, seqEnd: ev.seqEnd, ctl: ev.ctl,
      ...(ev.split !== undefined && { split: ev.split }), ...(lines !== undefined && { lines }),
    } as const;
    this.outbox.add(HOST, news);
    for (let k = 0; k < this.init.parallelism; k++) if (k !== this.init.index) this.outbox.add(k, news);
    Promise.resolve(this.mailbox.run(() => andThen(andThen(this.order.parsed(news), () => this.reconverge.drainAll()), () => this.progressOut())))
      .catch((err) => this.fail(err));
  }

  /**
   * What waits to go leaves after a piece is parsed if it holds records (another subtask's merge may wait for them), else
   * after every PARSES_PER_MESSAGE pieces, or when none waits to be parsed: news, progress and watermarks may wait a few
   * pieces (the read-ahead keeps the other threads busy), and each message to a sleeping thread costs its sender several µs.
   */
  private afterParse(): void {
    if (++this.parsedSinceFlush < PARSES_PER_MESSAGE && this.parsing.pending && !this.outbox.holdsRecords) return;
    this.parsedSinceFlush = 0;
    this.outbox.flush();
  }

  /** Every piece before this one has entered the graph: its owner emits it; every subtask's source positions move on. */
  private delivered(d: Delivery): MaybePromise {
    if (d.seqEnd - 1 > this.hostProgress) this.hostProgress = d.seqEnd - 1;
    this.mirror(d.source, d.wm, false);
    return this.pieces.get(d.source)!.deliver(d.piece, d.wm, d.base, d.cap, d.floor, d.line0);
  }

  private deliver(ev: WireEvent): MaybePromise {
    switch (ev.k) {
      case 's': this.mirror(ev.source, ev.wm, ev.idle); return;
      case 'r': this.parsing.add(() => this.parse(ev)); return;
      case 'm': return this.order.parsed(ev);
      case 'sb': return this.order.control(ev.after, () => this.pieces.get(ev.source)!.runtime.receiveBarrier(ev.id, -1));
      case 'sw':
        return this.order.control(ev.after, () => {
          this.mirror(ev.source, ev.wm, false);
          return this.pieces.get(ev.source)!.runtime.receiveWatermark(ev.wm, -1);
        });
      case 'sd': return this.order.control(ev.after, () => this.order.tracker(ev.source).declare(ev.ids));
      case 't': return;
      default:
    }
    const to = this.inbound.get(ev.e)!;
    switch (ev.k) {
      case 'b':
        if (ev.seqs?.length && this.plan.edges[ev.e].from === 'host') this.hostProgress = Math.max(this.hostProgress, ev.seqs[ev.seqs.length - 1]);
        return to.batch(ev.c, batchOf(ev, performance.timeOrigin));
      case 'w': return to.watermark(ev.c, ev.wm);
      case 'i': return to.idleness(ev.c, ev.idle);
      case 'x': return to.barrier(ev.c, ev.id);
      case 'p':
        if (this.plan.edges[ev.e].from === 'host' && ev.seq > this.hostProgress) this.hostProgress = ev.seq;
        return to.progress(ev.c, ev.seq);
    }
  }

  private mirror(source: string, wm: number, idle: boolean): void {
    const m = this.mirrors.get(source);
    if (m) { m.watermark = wm; m.idle = idle; }
  }

  /** A barrier passed every input of one of this subtask's nodes: its snapshot, then (all nodes) the report. */
  private onBarrier(node: NodeRuntime, id: number): MaybePromise {
    // A source read in pieces keeps no state here (the host has its offsets): it only counts.
    const piece = this.pieces.has(node.id);
    const built = this.nodes.get(node.id);
    const take = id === END_BARRIER || !built ? undefined : (async () => {
      const operator = await built.code.onCheckpoint?.({ id, timestamp: Date.now() });
      const snapshot: NodeSnapshot = { watermarks: node.snapshotWatermarks(), state: built.state.exportState(), operator };
      return new Uint8Array(serialize(snapshot));
    })();
    const entry = this.snaps.get(id) ?? { nodes: [], seen: 0 };
    this.snaps.set(id, entry);
    const record = (data: Uint8Array) => {
      if (!piece) entry.nodes.push([node.id, data]);
      if (++entry.seen < this.nodes.size + this.pieces.size) return;
      this.snaps.delete(id);
      this.flushReports();
      this.send(id === END_BARRIER ? { t: 'ended' } : { t: 'snap', id, nodes: entry.nodes });
    };
    if (!take) return record(new Uint8Array(0));
    return take.then(record, (err) => { throw nodeError(node.id, built!.kind, err, `checkpoint ${id} failed`); });
  }

  async complete(id: number): Promise<void> {
    for (const n of this.nodes.values()) {
      try {
        await n.code.onCheckpointComplete?.(id);
      } catch (err) {
        this.fail(nodeError(n.id, n.kind, err, `commit of checkpoint ${id} failed`));
      }
    }
  }

  /** This subtask's part of a node's keyed state for the state view (null: not a node of this subtask). */
  nodeState(nodeId: string, query: StateQuery): StateAnswer | null {
    const built = this.nodes.get(nodeId);
    return built ? stateAnswer(built.state, query) : null;
  }

  /** Closes every operator (after the end marker, or on failure). */
  async close(): Promise<string | undefined> {
    if (this.ticker) clearInterval(this.ticker);
    this.parsing.close();
    await this.mailbox.idle();
    let error: string | undefined;
    for (const n of this.nodes.values()) n.runtime.dispose();
    for (const p of this.pieces.values()) { p.runtime.dispose(); p.release(); }
    for (const n of this.nodes.values()) {
      try {
        await n.code.close?.();
      } catch (err) {
        error ??= redactError(err as Error).message;
      }
    }
    for (const n of this.nodes.values()) await n.state.close?.();
    await this.disk?.close().catch(() => undefined);
    this.report();
    return error;
  }

  private flushReports(): void {
    this.outbox.flush();
    this.taps?.flush();
    if (this.deadLetters.length) { this.send({ t: 'dead', letters: this.deadLetters }); this.deadLetters = []; }
    if (this.logs.length) { this.send({ t: 'log', lines: this.logs }); this.logs = []; }
  }

  /** Figures of every node of this subtask (the host sums them), and what piled up since the last report. */
  report(): void {
    this.flushReports();
    const now = performance.now();
    const nodes: Record<string, ReturnType<BuiltNode['runtime']['metrics']['snapshot']>> = {};
    for (const [id, p] of this.pieces) nodes[id] = p.runtime.metrics.snapshot(now, Date.now(), { keys: 0, bytes: 0 }, false);
    for (const [id, n] of this.nodes) nodes[id] = withModelMetrics(n.runtime.metrics.snapshot(now, Date.now(), { keys: n.state.keyCount(), bytes: n.state.approximateBytes() }, false), n.runtime.operator);
    this.send({ t: 'metrics', nodes });
  }

  private fail(err: unknown): void {
    if (this.failed) return;
    this.failed = true;
    const e = redactError(err instanceof Error ? err : new Error(String(err)));
    this.flushReports();
    this.send({ t: 'failed', message: e.message, name: e.name });
  }
}
