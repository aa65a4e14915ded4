import { describe, expect, it } from 'vitest';
import { translateToFlinkSql } from '@eddy/shared';
import { hotItems } from '../test-utils/hot-items.js';
import { scriptNames, vertexNodes, type VertexFigures } from './job-watcher.js';
import { nodeMetricsOf, pipelineStateOf, upstreamOf } from './flink-metrics.js';

const doc = hotItems;
const names = scriptNames(translateToFlinkSql(doc).statements);

/** A vertex as Flink 2.2 names it for this job, with figures. */
function vertex(id: string, name: string, recordsIn: number, recordsOut: number): VertexFigures {
  const nodes = vertexNodes(name, names);
  return { vertexId: id, vertexName: name, label: nodes.join(','), nodes, recordsIn, recordsOut, ratePerSec: 0, ratePerSecIn: 0, watermark: 5000, status: 'RUNNING', backpressure: 0.25 };
}

describe('Flink vertices → figures per Eddy node', () => {
  const figures = [
    vertex('v1', 'Source: events[45] -> Calc[46] -> WatermarkAssigner[47] -> Calc[48] -> LocalWindowAggregate[49]', 1000, 300),
    vertex('v2', 'GlobalWindowAggregate[51] -> Calc[52] -> StreamingFileWriter -> end: Writer', 300, 0),
  ];
  const m = nodeMetricsOf(figures, doc.nodes.map((n) => n.id), upstreamOf(doc), 6000);

  it('places the filter Flink inlined in its upstream source\'s vertex, and the window in the vertex that emits its results', () => {
    expect(m.events.flinkVertex).toMatchObject({ id: 'v1', shared: true, nodes: ['events', 'bids'] });
    expect(m.bids).toMatchObject({ recordsIn: 1000, recordsOut: 300, flinkVertex: { id: 'v1', shared: true } });
    expect(m.hot.flinkVertex).toMatchObject({ id: 'v2', shared: true, nodes: ['hot', 'out'] });
    expect(m.out).toMatchObject({ recordsIn: 300, backpressure: 0.25, watermark: 5000, watermarkLagMs: 1000 });
  });

  it('a vertex that runs one node is not shared; a node in no vertex has no figures', () => {
    const alone = nodeMetricsOf([vertex('v9', 'Source: events[1] -> Sink: out[2]', 10, 0)], ['events', 'x'], {});
    expect(alone.events.flinkVertex?.shared).toBe(false);
    expect(alone.x).toBeUndefined();
  });

  it('maps Flink job states to pipeline states', () => {
    expect(['RUNNING', 'INITIALIZING', 'RESTARTING', 'FINISHED', 'FAILED', 'CANCELED', 'GONE'].map(pipelineStateOf))
      .toEqual(['running', 'running', 'restarting', 'finished', 'failed', 'stopped', 'stopped']);
  });
});
