import { describe, expect, it } from 'vitest';
import { translateToFlinkSql } from '@eddy/shared';
import { hotItems } from '../test-utils/hot-items.js';
import { scriptNames, vertexNodes } from './job-watcher.js';

const doc = hotItems;

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
