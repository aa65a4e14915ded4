import { describe, expect, it } from 'vitest';
import { translateToFlinkSql } from '@eddy/shared';
import { scriptNames, vertexNodes } from './job-watcher.js';

const fields = [{ name: 'ts', type: 'number' }, { name: 'auction', type: 'number' }, { name: 'type', type: 'string' }];
const doc = {
  format: 'eddy/pipeline@1', name: 'hot items',
  nodes: [
    { id: 'events', kind: 'source.file', params: { path: 'e.jsonl', eventTime: { field: 'ts', maxOutOfOrderness: '0ms' }, fields } },
    { id: 'bids', kind: 'filter', params: { where: "type = 'bid'" } },
    { id: 'hot', kind: 'window', params: { type: 'sliding', size: '10s', slide: '2s', keyBy: ['auction'], aggregates: [{ name: 'bids', fn: 'count' }] } },
    { id: 'out', kind: 'sink.file', params: { path: 'out' } },
  ],
  edges: [{ from: 'events', to: 'bids' }, { from: 'bids', to: 'hot' }, { from: 'hot', to: 'out' }],
};

describe('Flink vertices → Eddy nodes', () => {
  const names = scriptNames(translateToFlinkSql(doc).statements);

  it('reads the sources, sinks and windows from the script', () => {
    expect(names).toEqual({ sources: ['events'], sinks: ['out'], windows: ['hot'], joins: [], dedupes: [] });
  });

  it('labels the vertices Flink names (as Flink 2.2 names them for this job)', () => {
    expect(vertexNodes('Source: events[45] -> Calc[46] -> WatermarkAssigner[47] -> Calc[48] -> LocalWindowAggregate[49]', names))
      .toEqual(['events', 'hot']);
    expect(vertexNodes('GlobalWindowAggregate[51] -> Calc[52] -> StreamingFileWriter -> end: Writer', names)).toEqual(['hot', 'out']);
    expect(vertexNodes('Source: Values[1] -> Calc[2]', names)).toEqual([]);
  });
});
