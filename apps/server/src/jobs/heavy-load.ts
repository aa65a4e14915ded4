/**
 * The bench's heaviest workload shape (NEXMark q5: bids per auction in 10 s windows sliding
 * every 2 s, the most state per record) fed by a generator at full speed and without end:
 * what the API must stay responsive beside. Used by the responsiveness test and
 * scripts/api-latency.mjs.
 */
export const heavyPipeline = (name = 'heavy load') => ({
  format: 'eddy/pipeline@1',
  name,
  nodes: [
    { id: 'gen', kind: 'source.generator', params: { scenario: 'nexmark', ratePerSec: 0, keys: 100_000, seed: 5, startTime: 0 } },
    { id: 'bids', kind: 'filter', params: { where: "type = 'bid'" } },
    { id: 'hot', kind: 'window', params: { type: 'sliding', size: '10s', slide: '2s', keyBy: ['auction'], aggregates: [{ name: 'bids', fn: 'count' }] } },
    { id: 'live', kind: 'sink.live', params: {} },
  ],
  edges: [{ from: 'gen', to: 'bids' }, { from: 'bids', to: 'hot' }, { from: 'hot', to: 'live' }],
});
