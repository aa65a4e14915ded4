// A small pipeline whose Flink script has a source, a chained filter, a window and a sink (for the vertex mapping tests).
const fields = [{ name: 'ts', type: 'number' }, { name: 'auction', type: 'number' }, { name: 'type', type: 'string' }];
export const hotItems = {
  format: 'eddy/pipeline@1', name: 'hot items',
  nodes: [
    { id: 'events', kind: 'source.file', params: { path: 'e.jsonl', eventTime: { field: 'ts', maxOutOfOrderness: '0ms' }, fields } },
    { id: 'bids', kind: 'filter', params: { where: "type = 'bid'" } },
    { id: 'hot', kind: 'window', params: { type: 'sliding', size: '10s', slide: '2s', keyBy: ['auction'], aggregates: [{ name: 'bids', fn: 'count' }] } },
    { id: 'out', kind: 'sink.file', params: { path: 'out' } },
  ],
  edges: [{ from: 'events', to: 'bids' }, { from: 'bids', to: 'hot' }, { from: 'hot', to: 'out' }],
};
