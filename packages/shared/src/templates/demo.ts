import { PIPELINE_FORMAT, settingsSchema, type PipelineDocument } from '../format/document.js';

/** The pipeline a first start shows: clickstream → page views → views per country (10 s) → live table. */
export function demoPipeline(): PipelineDocument {
  return {
    format: PIPELINE_FORMAT,
    name: 'Page views per country',
    description: 'Clickstream events, filtered to page views, counted per country in 10 s tumbling windows.',
    settings: settingsSchema.parse({}),
    nodes: [
      { id: 'clicks', kind: 'source.generator', params: { scenario: 'clickstream', ratePerSec: 200, limit: 0, seed: 42, outOfOrderness: '2s', keys: 1000 }, ui: { x: 0, y: 80 } },
      { id: 'page_views', kind: 'filter', params: { where: "event_type = 'page_view'" }, ui: { x: 260, y: 80 } },
      { id: 'views_per_country', kind: 'window', params: { type: 'tumbling', size: '10s', keyBy: ['country'],
        aggregates: [{ name: 'views', fn: 'count' }], allowedLateness: '0ms' }, ui: { x: 520, y: 80 } },
      { id: 'live', kind: 'sink.live', params: { maxRows: 200 }, ui: { x: 780, y: 80 } },
    ],
    edges: [
      { from: 'clicks', to: 'page_views' },
      { from: 'page_views', to: 'views_per_country' },
      { from: 'views_per_country', to: 'live' },
    ],
  };
}
