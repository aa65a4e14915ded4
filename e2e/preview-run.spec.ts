import { test, expect } from './fixtures';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { shot } from './helpers';

const doc = {
  format: 'eddy/pipeline@1', name: 'Preview before deploy',
  nodes: [
    { id: 'clicks', kind: 'source.generator', params: { scenario: 'clickstream', limit: 200, ratePerSec: 2000 }, ui: { x: 0, y: 0 } },
    { id: 'views', kind: 'filter', params: { where: "event_type = 'page_view'" }, ui: { x: 300, y: 0 } },
    { id: 'archive', kind: 'sink.file', params: { path: 'preview-e2e.jsonl' }, ui: { x: 600, y: 0 } },
  ],
  edges: [{ from: 'clicks', to: 'views' }, { from: 'views', to: 'archive' }],
};

test('Preview run shows what each edge carries and each sink would receive, without writing the sink', async ({ page }, testInfo) => {
  await page.goto('/');
  await expect(page.getByTestId('palette-filter')).toBeVisible();
  await page.getByTestId('import-file').setInputFiles({ name: 'p.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
  await expect(page.locator('.react-flow__node')).toHaveCount(3);

  await page.getByTestId('preview-run').click();
  const dialog = page.getByTestId('preview-run-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('preview-run-status')).toContainText('no sink was written');
  await expect(page.getByTestId('preview-edge-clicks-views')).toContainText('200');
  const sink = page.getByTestId('preview-sink-archive');
  await expect(sink).toContainText('sink.file');
  const received = Number(await sink.locator('.count').textContent());
  expect(received).toBeGreaterThan(0);
  expect(received).toBeLessThan(200);
  // The sink's would-be records: only page views, times shown as times with the raw value on hover.
  const rows = page.getByTestId('preview-run-rows');
  await expect(rows.locator('tbody tr').first()).toBeVisible();
  const header = await rows.locator('thead th').allTextContents();
  const typeCells = await rows.locator('tbody tr').locator(`td:nth-child(${header.indexOf('event_type') + 1})`).allTextContents();
  expect(new Set(typeCells)).toEqual(new Set(['page_view']));
  const tsCell = rows.locator('tbody tr').first().locator(`td:nth-child(${header.indexOf('ts') + 1})`);
  await expect(tsCell).toHaveText(/^(\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d\.\d{3}$/);
  await expect(tsCell).toHaveAttribute('title', /^\d{13}$/);
  await shot(page, (n) => testInfo.outputPath(n), 'preview-run.png');

  await page.getByTestId('preview-edge-clicks-views').click();
  await expect(rows.locator('tbody tr')).toHaveCount(20);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  expect(existsSync(join(process.env.E2E_DATA!, 'preview-e2e.jsonl'))).toBe(false);
  await expect(page.getByTestId('status-badge')).toHaveText('stopped');
});
