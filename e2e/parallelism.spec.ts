import { test, expect } from './fixtures';
import { newEmptyPipeline, selectNode, shot } from './helpers';

/** Views per country in one-second windows of a generated clickstream: the window is keyed, so it runs in subtasks. */
const doc = {
  format: 'eddy/pipeline@1',
  name: 'Parallel views',
  nodes: [
    { id: 'clicks', kind: 'source.generator', params: { scenario: 'clickstream', ratePerSec: 500, seed: 3, startTime: '2026-01-01T00:05:00Z' }, ui: { x: 0, y: 0 } },
    { id: 'per_country', kind: 'window', params: { type: 'tumbling', size: '1s', keyBy: ['country'], aggregates: [{ name: 'views', fn: 'count' }] }, ui: { x: 280, y: 0 } },
    { id: 'live', kind: 'sink.live', params: {}, ui: { x: 560, y: 0 } },
  ],
  edges: [{ from: 'clicks', to: 'per_country' }, { from: 'per_country', to: 'live' }],
};

test('parallelism 2 set in the pipeline settings: saved with the document, the window shows its two subtasks', async ({ page, request }, testInfo) => {
  await newEmptyPipeline(page);
  await page.getByTestId('import-file').setInputFiles({ name: 'parallel.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
  await expect(page.getByTestId('pipeline-name')).toHaveValue('Parallel views');

  // Nothing selected: the inspector shows the pipeline's settings. The change is one undoable step.
  const parallelism = page.getByTestId('settings-parallelism');
  await expect(parallelism).toHaveValue('1');
  await parallelism.selectOption('2');
  await page.getByTestId('undo').click();
  await expect(parallelism).toHaveValue('1');
  await page.getByTestId('redo').click();
  await expect(parallelism).toHaveValue('2');

  await page.getByTestId('deploy').click();
  await expect(page.getByTestId('status-badge')).toHaveText('running');
  const id = new URL(page.url()).pathname.split('/').pop()!;
  const saved = await (await request.get(`/api/pipelines/${id}`)).json();
  expect(saved.document.settings.parallelism).toBe(2);

  await selectNode(page, 'per_country');
  const subtasks = page.getByTestId('subtasks');
  await expect(subtasks.locator('tbody tr')).toHaveCount(2);
  // Each subtask holds some of the countries: records arrive at both.
  for (const i of [0, 1]) await expect(page.getByTestId(`subtask-in-${i}`)).toHaveText(/^[1-9][\d,]*$/);
  await shot(page, (n) => testInfo.outputPath(n), 'subtasks.png');

  // A node run once (the source) has no subtask view.
  await selectNode(page, 'clicks');
  await expect(page.getByTestId('subtasks')).toHaveCount(0);
  await page.getByTestId('stop').click();
  await expect(page.getByTestId('status-badge')).toHaveText('stopped');
});
