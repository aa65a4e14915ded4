import { test, expect } from './fixtures';
import { readFileSync } from 'node:fs';
import { connect, dropKind, selectNode, setExpression } from './helpers';

test('build the demo pipeline from an empty canvas, deploy it, watch rows, export it', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('palette-source.generator')).toBeVisible();
  await page.getByTestId('pipelines-menu').click();
  await page.getByTestId('new-pipeline').click();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);

  // Drag four kinds from the palette onto the canvas.
  await dropKind(page, 'source.generator', 110, 120);
  await dropKind(page, 'filter', 320, 220);
  await dropKind(page, 'window', 530, 120);
  await dropKind(page, 'sink.live', 740, 220);
  await page.getByTestId('pipeline-name').fill('Views per country (e2e)');

  // Connect their ports.
  await connect(page, 'source_generator', 'filter');
  await connect(page, 'filter', 'window');
  await connect(page, 'window', 'sink_live');
  await expect(page.locator('.react-flow__edge')).toHaveCount(3);

  // Params in the inspector: a faster generator, the filter's expression in Monaco, the window.
  await selectNode(page, 'source_generator');
  await page.getByTestId('param-ratePerSec').fill('400');
  await selectNode(page, 'filter');
  await setExpression(page, 'param-where', "event_type = 'page_view'");
  await selectNode(page, 'window');
  await page.getByTestId('param-size').fill('1s');
  await page.getByTestId('param-keyBy-add').click();
  await page.getByTestId('param-keyBy-0').fill('country');
  await page.getByTestId('param-aggregates-0-name').fill('views');
  await expect(page.getByTestId('node-errors-window')).toHaveCount(0);
  await expect(page.getByTestId('tab-problems')).toHaveText('Problems');

  await page.getByTestId('save').click();
  await expect(page.getByTestId('notice-info').first()).toContainText('Saved');
  await page.getByTestId('deploy').click();
  await expect(page.getByTestId('status-badge')).toHaveText('running');

  // Rows arrive live; nodes show a rate.
  const table = page.getByTestId('live-rows');
  await expect(table.locator('thead')).toContainText('window_start');
  await expect(table.locator('thead')).toContainText('country');
  await expect(table.locator('thead')).toContainText('views');
  await expect(table.locator('tbody tr').first()).toBeVisible();
  await expect(page.getByTestId('node-rate-source_generator')).not.toHaveText('0/s');
  await expect(page.getByTestId('node-rate-filter')).toHaveText(/^[1-9][\d.]*k?\/s$/);
  await page.screenshot({ path: 'test-results/designer-running.png' });
  // The README's picture: refreshed on demand, so test runs leave the work tree clean.
  if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: 'docs/screenshot.png' });

  await page.getByTestId('stop').click();
  await expect(page.getByTestId('status-badge')).toHaveText('stopped');

  // Export downloads the document as JSON.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
  const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  expect(download.suggestedFilename()).toBe('Views-per-country-e2e.json');
  expect(exported.format).toBe('eddy/pipeline@2');
  expect(exported.nodes).toHaveLength(4);
  expect(exported.edges).toHaveLength(3);
  expect(exported.nodes.find((n: { kind: string }) => n.kind === 'filter').params.where).toBe("event_type = 'page_view'");
  expect(exported.nodes.find((n: { kind: string }) => n.kind === 'window').params).toMatchObject({ size: '1s', keyBy: ['country'] });
});
