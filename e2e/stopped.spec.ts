import { test, expect } from './fixtures';
import { answerTemplateQuestions } from './helpers';

test('a stopped pipeline shows no rates as if live; its rows are labelled as the last run', async ({ page }) => {
  page.on('dialog', (d) => void d.accept());
  await page.goto('/');
  await page.getByTestId('templates').click();
  await page.getByTestId('template-deploy-page-views').click();
  await answerTemplateQuestions(page);
  await expect(page.getByTestId('status-badge')).toHaveText('running');
  await expect(page.getByTestId('node-rate-clicks')).toHaveText(/^[1-9][\d.]*k?\/s$/);
  await expect(page.locator('[data-testid^="edge-rate-"]').first()).toBeVisible();
  await page.getByTestId('tab-live-rows').click();
  await expect(page.getByTestId('live-rows').locator('tbody tr').first()).toBeVisible({ timeout: 30_000 });

  await page.getByTestId('stop').click();
  await expect(page.getByTestId('status-badge')).toHaveText('stopped');
  await expect(page.locator('[data-testid^="node-rate-"]')).toHaveCount(0);
  await expect(page.locator('[data-testid^="edge-rate-"]')).toHaveCount(0);
  await expect(page.locator('.eddy-node.bp-warn, .eddy-node.bp-high')).toHaveCount(0);
  const toolbar = page.locator('.live-rows .drawer-toolbar');
  await expect(toolbar).toContainText('last run');
  await expect(toolbar).not.toContainText('newest first');
  // The rows themselves stay readable.
  await expect(page.getByTestId('live-rows').locator('tbody tr').first()).toBeVisible();
  await page.getByTestId('tab-metrics').click();
  await expect(page.getByTestId('metrics-table')).toContainText('last run');
});
