import { readFileSync } from 'node:fs';
import { test, expect, type Page } from './fixtures';
import { shot } from './helpers';

async function openTemplate(page: Page, id: string) {
  await page.getByTestId('templates').click();
  await page.getByTestId(`template-open-${id}`).click();
  await expect(page.getByTestId(`node-${id === 'ad-analytics' ? 'campaign' : 'clicks'}`)).toBeVisible();
}

test('the Flink SQL tab translates the pipeline as it is edited, downloads it, and names what cannot be translated', async ({ page }, testInfo) => {
  page.on('dialog', (d) => void d.accept());
  await page.goto('/');
  await openTemplate(page, 'page-views');
  await page.getByTestId('tab-flink-sql').click();
  await expect(page.getByTestId('flink-status')).toHaveText(/Runs on Flink 2\.0\+ as one job/);
  await expect(page.getByTestId('flink-view').locator('.view-lines')).toContainText("SET 'execution.checkpointing.interval' = '5000ms';");
  await shot(page, (n) => testInfo.outputPath(n), 'flink-sql.png');
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('flink-download').click()]);
  expect(file.suggestedFilename()).toMatch(/\.sql$/);
  const sql = readFileSync((await file.path())!, 'utf8');
  expect(sql).toContain("FROM TABLE(TUMBLE(TABLE `page_views`, DESCRIPTOR(`eddy_time`), INTERVAL '10' SECOND))");
  expect(sql).toContain('INSERT INTO `live`');

  // A pipeline with a lookup table read from a file: the node and the reason, click selects it.
  await openTemplate(page, 'ad-analytics');
  await expect(page.getByTestId('flink-status')).toHaveText('1 node cannot be translated');
  await expect(page.getByTestId('flink-download')).toBeDisabled();
  const problem = page.getByTestId('flink-problem');
  await expect(problem).toContainText('campaign');
  await expect(problem).toContainText('lookup table');
  await problem.click();
  await expect(page.getByTestId('node-id-input')).toHaveValue('campaign');
});
