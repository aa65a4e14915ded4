import { test, expect, type Page } from './fixtures';

async function openFromMenu(page: Page, name: string) {
  await page.getByTestId('pipelines-menu').click();
  await page.getByTestId('pipelines-list').locator('.pipeline-item').filter({ hasText: name }).first().locator('button.pipeline-open').click();
  await expect(page.getByTestId('pipeline-name')).toHaveValue(name);
}

async function createPipeline(page: Page, name: string): Promise<string> {
  const res = await page.request.post('/api/pipelines', { data: {
    format: 'eddy/pipeline@1', name,
    nodes: [{ id: 'gen', kind: 'source.generator', params: { ratePerSec: 50 }, ui: { x: 0, y: 0 } }, { id: 'live', kind: 'sink.live', params: {}, ui: { x: 260, y: 0 } }],
    edges: [{ from: 'gen', to: 'live' }],
  } });
  expect(res.status()).toBe(201);
  return (await res.json()).id;
}

test.use({ allowedErrors: [/status of 404 \(Not Found\) \(.*\/api\/pipelines\/no-such-pipeline\)/] }); // the unknown address is asked for on purpose

test('each pipeline has an address: deep link, back and forward, and a reload mid-run reopens the watched pipeline', async ({ page }) => {
  const suffix = Math.random().toString(36).slice(2, 7);
  const a = await createPipeline(page, `Address A ${suffix}`);
  const b = await createPipeline(page, `Address B ${suffix}`);

  // A deep link opens its pipeline.
  await page.goto(`/p/${a}`);
  await expect(page.getByTestId('pipeline-name')).toHaveValue(`Address A ${suffix}`);
  await expect(page).toHaveURL(new RegExp(`/p/${a}$`));

  await openFromMenu(page, `Address B ${suffix}`);
  await expect(page).toHaveURL(new RegExp(`/p/${b}$`));
  await page.goBack();
  await expect(page.getByTestId('pipeline-name')).toHaveValue(`Address A ${suffix}`);
  await page.goForward();
  await expect(page.getByTestId('pipeline-name')).toHaveValue(`Address B ${suffix}`);

  // Run A, then make B the most recently updated: a reload still shows A, running.
  await openFromMenu(page, `Address A ${suffix}`);
  await page.getByTestId('deploy').click();
  await expect(page.getByTestId('status-badge')).toHaveText('running');
  const rec = await (await page.request.get(`/api/pipelines/${b}`)).json();
  await page.request.put(`/api/pipelines/${b}`, { data: { ...rec.document, name: `Address B ${suffix} (newer)` }, headers: { 'if-match': String(rec.revision) } });
  await page.reload();
  await expect(page.getByTestId('pipeline-name')).toHaveValue(`Address A ${suffix}`);
  await expect(page.getByTestId('status-badge')).toHaveText('running');
  await expect(page).toHaveURL(new RegExp(`/p/${a}$`));

  // An unknown pipeline's address says so and opens one that exists.
  await page.goto('/p/no-such-pipeline');
  await expect(page.getByTestId('notice-error')).toContainText('not found');
  await expect(page).toHaveURL(/\/p\/[^/]+$/);
  await expect(page).not.toHaveURL(/no-such-pipeline/);
});
