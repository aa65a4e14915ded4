import { test, expect, type Page } from './fixtures';
import { answerTemplateQuestions, shot } from './helpers';

const TEMPLATES = ['checkout-personalisation', 'streaming-etl', 'event-triggered-campaign', 'ad-analytics', 'iot-anomaly', 'page-views'];

async function deployTemplate(page: Page, id: string) {
  await page.getByTestId('templates').click();
  await expect(page.getByTestId('templates-dialog')).toBeVisible();
  await page.getByTestId(`template-deploy-${id}`).click();
  await answerTemplateQuestions(page);
  await expect(page.getByTestId('status-badge')).toHaveText('running');
}

test('each template deploys on generated data and shows rows', async ({ page }, testInfo) => {
  page.on('dialog', (d) => void d.accept());
  await page.goto('/');
  for (const id of TEMPLATES) {
    await deployTemplate(page, id);
    await page.getByTestId('tab-live-rows').click();
    // Some live table of the template gets rows (the select lists each sink.live node).
    const options = await page.getByTestId('live-rows-node').locator('option').allTextContents();
    await expect.poll(async () => {
      for (const o of options) {
        await page.getByTestId('live-rows-node').selectOption(o);
        if (await page.getByTestId('live-rows').locator('tbody tr').count() > 0) return true;
      }
      return false;
    }, { timeout: 40_000, message: `rows from ${id}` }).toBe(true);
    await shot(page, (n) => testInfo.outputPath(n), `template-${id}.png`);
    await page.getByTestId('stop').click();
    await expect(page.getByTestId('status-badge')).toHaveText('stopped');
  }
});

test('live views: badges, charts, edge preview, watermarks, state browser, dead letters', async ({ page }, testInfo) => {
  page.on('dialog', (d) => void d.accept());
  await page.goto('/');
  await deployTemplate(page, 'streaming-etl');
  // Guarantee badges: at-least-once by default on every edge; the live table is a view.
  const badges = page.locator('[data-testid^="guarantee-"]');
  await expect(badges).toHaveCount(4);
  await expect(badges.first()).toHaveText('ALO');
  // Edges show their rate once records flow.
  await expect(page.locator('[data-testid^="edge-rate-"]').first()).toBeVisible();

  // Dashboard charts draw and update.
  await page.getByTestId('tab-dashboard').click();
  await expect(page.getByTestId('dashboard-summary')).toContainText('rate');
  await expect(page.getByTestId('chart-throughput').locator('canvas')).toBeVisible();
  // Hovering the chart shows the values at that moment: data has been plotted.
  await expect.poll(async () => {
    await page.getByTestId('chart-throughput').locator('.u-over').hover({ position: { x: 200, y: 60 } });
    return page.getByTestId('chart-throughput').locator('.u-legend .u-value').nth(1).textContent();
  }, { timeout: 10_000 }).toMatch(/\d/);
  await shot(page, (n) => testInfo.outputPath(n), 'dashboard.png');

  // Edge preview: click the edge out of the filter (its label) and see the records flowing on it.
  await page.getByTestId('guarantee-valid:out->normalise:in').click();
  await expect(page.getByTestId('preview')).toBeVisible();
  await expect(page.getByTestId('preview-records').locator('li').first()).toBeVisible();
  await page.getByTestId('preview-pause').click();
  await page.getByTestId('preview-records').locator('li').first().click();
  await expect(page.getByTestId('preview-json')).toContainText('order_id');
  await shot(page, (n) => testInfo.outputPath(n), 'edge-preview.png');

  // Watermark lens.
  await page.getByTestId('tab-watermarks').click();
  await expect(page.getByTestId('wm-orders')).toContainText('2026-01-01');

  // Dead letters: the sample file has broken lines.
  await page.getByTestId('tab-dead-letters').click();
  await expect(page.getByTestId('dead-letters')).toContainText('jsonl:');
  await expect(page.getByTestId('dead-letters')).toContainText('orders');
  await page.getByTestId('stop').click();

  // State browser on a window node.
  await deployTemplate(page, 'ad-analytics');
  await page.getByTestId('tab-state').click();
  await expect(page.getByTestId('state-keys').locator('li').first()).toBeVisible({ timeout: 20_000 });
  await page.getByTestId('state-search').fill('c-1');
  await expect(page.getByTestId('state-keys').locator('li').first()).toContainText('c-1');
  await page.getByTestId('state-keys').locator('li').first().click();
  await expect(page.getByTestId('state-value')).toContainText('accs');
  await shot(page, (n) => testInfo.outputPath(n), 'state-browser.png');
  await page.getByTestId('stop').click();
});

test('two browsers watching one pipeline see the same figures; a late one gets them at once', async ({ browser }) => {
  const a = await browser.newPage();
  a.on('dialog', (d) => void d.accept());
  await a.goto('/');
  await deployTemplate(a, 'page-views');
  const rate = a.getByTestId('node-rate-clicks');
  await expect(rate).not.toHaveText('0/s');
  const b = await browser.newPage();
  await b.goto('/');
  // The newest pipeline opens first: the one A just deployed. B gets the current snapshot at once.
  await expect(b.getByTestId('status-badge')).toHaveText('running', { timeout: 5_000 });
  await expect(b.getByTestId('node-rate-clicks')).not.toHaveText('0/s', { timeout: 3_000 });
  // Both show the same count of records from the same metrics tick.
  await a.getByTestId('tab-metrics').click();
  await b.getByTestId('tab-metrics').click();
  await expect.poll(async () => {
    const [x, y] = await Promise.all([a, b].map((p) => p.getByTestId('metrics-table').locator('tbody tr').first().locator('td').nth(2).textContent()));
    return x === y && x !== '0';
  }, { timeout: 10_000 }).toBe(true);
  await a.getByTestId('stop').click();
  await a.close();
  await b.close();
});
