import { parseDuration, parseIsoTimestamp, SCENARIO_TIME_FIELD, type ParamsOf } from '@eddy/shared';
import type { Rec } from '../../core/batch.js';
import type { SourceConnector, SourceEventTime, SourceOutput } from '../../core/source.js';
import { isPromise, sleep, yieldToEventLoop } from '../../core/async.js';
import { SeededRandom } from './random.js';
import { SCENARIO_GENERATORS, type ScenarioGenerator } from './scenarios.js';

const MAX_CHUNK = 256;
const YIELD_EVERY_MS = 8;

/**
 * Generates scenario events. Record i depends only on (seed, i), and its event time is
 * startTime + i·timeScale·1000/rate minus a seeded jitter of at most `outOfOrderness`.
 */
export class GeneratorSource implements SourceConnector {
  readonly eventTime: SourceEventTime | undefined;
  /** Index of the next record: the source offset a checkpoint keeps. */
  position = 0;
  private startTime: number | undefined;
  private readonly make: ScenarioGenerator;
  private readonly jitterMs: number;
  private readonly rng = new SeededRandom();

  constructor(private readonly params: ParamsOf<'source.generator'>, private readonly wallClock: () => number) {
    this.jitterMs = parseDuration(params.outOfOrderness);
    this.eventTime = { field: SCENARIO_TIME_FIELD[params.scenario], maxOutOfOrdernessMs: this.jitterMs };
    this.make = SCENARIO_GENERATORS[params.scenario];
  }

  /** Builds record `index` (pure: same seed and index, same record). */
  record(index: number, startTime: number): Rec {
    const { params, rng } = this;
    const spacing = (1000 * params.timeScale) / (params.ratePerSec || 1000);
    rng.reseed(params.seed, index);
    const jitter = this.jitterMs ? rng.int(this.jitterMs + 1) : 0;
    const ts = startTime + Math.floor(index * spacing) - jitter;
    return this.make({ rng, index, ts, keys: params.keys });
  }

  async run(out: SourceOutput, signal: AbortSignal): Promise<void> {
    const { limit, ratePerSec } = this.params;
    const startTime = (this.startTime ??= resolveStartTime(this.params.startTime, this.wallClock()));
    const startWall = performance.now() - (ratePerSec > 0 ? (this.position * 1000) / ratePerSec : 0);
    let lastYield = performance.now();
    while (!signal.aborted && (limit === 0 || this.position < limit)) {
      let n = MAX_CHUNK;
      if (ratePerSec > 0) {
        const elapsed = performance.now() - startWall;
        const due = Math.floor((elapsed * ratePerSec) / 1000) + 1;
        n = Math.min(due - this.position, MAX_CHUNK);
        if (n <= 0) {
          await sleep(Math.max(1, ((this.position * 1000) / ratePerSec) - elapsed), signal);
          lastYield = performance.now();
          continue;
        }
      }
      if (limit > 0) n = Math.min(n, limit - this.position);
      const records = new Array<Rec>(n);
      for (let k = 0; k < n; k++) records[k] = this.record(this.position + k, startTime);
      // A paced event is created when it is due: latency counts from then (no coordinated omission).
      const dueAt = ratePerSec > 0 ? startWall + (this.position * 1000) / ratePerSec : undefined;
      this.position += n;
      const pushed = out.push(records, dueAt);
      if (isPromise(pushed)) await pushed;
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
  }

  /** The event time of record 0 stays with the offset, so a restored run continues the same timeline. */
  checkpointPosition(): unknown {
    return { index: this.position, startTime: this.startTime };
  }

  restorePosition(position: unknown): void {
    const p = position as { index?: unknown; startTime?: unknown } | null;
    if (typeof p?.index === 'number' && Number.isInteger(p.index) && p.index >= 0) this.position = p.index;
    if (typeof p?.startTime === 'number') this.startTime = p.startTime;
  }
}

function resolveStartTime(value: number | string | undefined, now: number): number {
  if (value === undefined) return now;
  if (typeof value === 'number') return value;
  const t = parseIsoTimestamp(value); // as validation: strict ISO-8601, UTC without an offset
  if (t === null) throw new Error(`startTime '${value}' is not an ISO-8601 time`);
  return t;
}
