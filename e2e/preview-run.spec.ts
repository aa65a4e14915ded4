import { test, expect } from './fixtures';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { newEmptyPipeline, selectNode, setExpression, shot } from './helpers';

const doc = {
  format: 'eddy/pipeline@1', name: 'Preview before deploy',
  nodes: [
    { id: 'clicks', kind: 'source.generator', params: { scenario: 'clickstream', limit: 200, ratePerSec: 2000 }, ui: { x: 0, y: 0 } },
    { id: 'views', kind: 'filter', params: { where: "event_type = 'page_view'" }, ui: { x: 300, y: 0 } },
    { id: 'archive', kind: 'sink.file', params: { path: 'preview-e2e.jsonl' }, ui: { x: 600, y: 0 } },
  ],
  edges: [{ from: 'clicks', to: 'views' }, { from: 'views', to: 'archive' }],
};
const IN = 'clicks:out->views:in';
const OUT = 'views:out->archive:in';
const rowCount = (text: string | null) => Number(/^([\d,]+) rows?$/.exec(text ?? '')?.[1].replace(/,/g, '') ?? NaN);

test('Preview run shows on the canvas what each edge carries and each sink would receive, without writing the sink; an edit clears it', async ({ page }, testInfo) => {
  await newEmptyPipeline(page);
  await page.getByTestId('import-file').setInputFiles({ name: 'p.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
  await expect(page.locator('.react-flow__node')).toHaveCount(3);

  await page.getByTestId('preview-run').click();
  await expect(page.getByTestId('preview-overlay-status')).toContainText('no sink was written');
  // Each edge carries its count; the filter lets only some through; the sink says what it would receive.
  await expect(page.getByTestId(`preview-count-${IN}`)).toHaveText('200 rows');
  const passed = rowCount(await page.getByTestId(`preview-count-${OUT}`).textContent());
  expect(passed).toBeGreaterThan(0);
  expect(passed).toBeLessThan(200);
  await expect(page.getByTestId('preview-sink-received-archive')).toHaveText(`would receive ${passed} rows`);

  // Clicking an edge's count shows its sample rows in the drawer.
  await page.getByTestId(`preview-count-${IN}`).click();
  const drawer = page.getByTestId('preview-run-drawer');
  await expect(page.getByTestId('preview-run-target')).toHaveText('clicks → views');
  await expect(page.getByTestId('preview-run-count')).toContainText('carried 200 rows, the first 20 shown');
  await expect(drawer.locator('tbody tr')).toHaveCount(20);

  // The sink's would-be records: only page views, times shown as times with the raw value on hover.
  await page.getByTestId('preview-sink-received-archive').click();
  await expect(page.getByTestId('preview-run-target')).toHaveText('sink archive');
  const rows = page.getByTestId('preview-run-drawer-rows');
  await expect(rows.locator('tbody tr').first()).toBeVisible();
  const header = await rows.locator('thead th').allTextContents();
  const typeCells = await rows.locator('tbody tr').locator(`td:nth-child(${header.indexOf('event_type') + 1})`).allTextContents();
  expect(new Set(typeCells)).toEqual(new Set(['page_view']));
  const tsCell = rows.locator('tbody tr').first().locator(`td:nth-child(${header.indexOf('ts') + 1})`);
  await expect(tsCell).toHaveText(/^(\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d\.\d{3}$/);
  await expect(tsCell).toHaveAttribute('title', /^\d{13}$/);
  await shot(page, (n) => testInfo.outputPath(n), 'preview-run.png');

  // The summary lists every edge and sink in one dialog.
  await page.getByTestId('preview-summary').click();
  const dialog = page.getByTestId('preview-run-dialog');
  await expect(page.getByTestId('preview-edge-clicks-views')).toContainText('200');
  await expect(page.getByTestId('preview-sink-archive')).toContainText(`sink.file${passed}`);
  await page.getByTestId('preview-edge-clicks-views').click();
  await expect(page.getByTestId('preview-run-rows').locator('tbody tr')).toHaveCount(20);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // Clear preview removes the overlay; a new run brings it back.
  await page.getByTestId('preview-clear').click();
  await expect(page.getByTestId(`preview-count-${IN}`)).toHaveCount(0);
  await expect(page.getByTestId('preview-overlay')).toHaveCount(0);
  await expect(page.getByTestId('preview-sink-received-archive')).toHaveCount(0);
  await page.getByTestId('preview-run').click();
  await expect(page.getByTestId(`preview-count-${IN}`)).toHaveText('200 rows');

  // An edit makes the preview stale: it goes away.
  await selectNode(page, 'views');
  await setExpression(page, 'param-where', "event_type = 'click'");
  await expect(page.getByTestId(`preview-count-${IN}`)).toHaveCount(0);
  await expect(page.getByTestId('preview-sink-received-archive')).toHaveCount(0);
  await expect(page.getByTestId('preview-overlay')).toHaveCount(0);

  expect(existsSync(join(process.env.E2E_DATA!, 'preview-e2e.jsonl'))).toBe(false);
  await expect(page.getByTestId('status-badge')).toHaveText('stopped');
});

test('Preview run on a template: every edge gets its count, a layout keeps them, deleting a node clears them', async ({ page }) => {
  await newEmptyPipeline(page);
  await page.getByTestId('templates').click();
  await page.getByTestId('template-open-page-views').click();
  await expect(page.locator('.react-flow__node')).toHaveCount(4);
  const edges = await page.locator('.react-flow__edge').count();

  await page.getByTestId('preview-run').click();
  await expect(page.getByTestId('preview-overlay-status')).toContainText('no sink was written');
  const labels = page.locator('[data-testid^="preview-count-"]');
  await expect(labels).toHaveCount(edges);
  const fromSource = page.getByTestId('preview-count-clicks:out->page_views:in');
  expect(rowCount(await fromSource.textContent())).toBeGreaterThan(0);
  await expect(page.getByTestId('preview-sink-received-live')).toContainText('would receive');

  await fromSource.click();
  await expect(page.getByTestId('preview-run-target')).toHaveText('clicks → page_views');
  await expect(page.getByTestId('preview-run-drawer-rows').locator('tbody tr').first()).toBeVisible();

  // Moving nodes does not change what would run: the counts stay.
  await page.getByTestId('auto-layout').click();
  await expect(labels).toHaveCount(edges);
  // Deleting a node does: they go.
  await selectNode(page, 'live');
  await page.getByTestId('canvas').press('Delete');
  await expect(page.locator('.react-flow__node')).toHaveCount(3);
  await expect(labels).toHaveCount(0);
  await expect(page.getByTestId('preview-run-drawer')).toHaveCount(0);
});
