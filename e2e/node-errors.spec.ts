import { test, expect } from './fixtures';
import { selectNode } from './helpers';

test('the inspector lists what failed at a node, how often and when', async ({ page, request }) => {
  // The streaming ETL template reads a sample file with broken lines: its source dead-letters them.
  const { id } = await (await request.post('/api/templates/streaming-etl')).json() as { id: string };
  expect((await request.post(`/api/pipelines/${id}/deploy`)).ok()).toBe(true);
  await expect.poll(async () => ((await (await request.get(`/api/pipelines/${id}/dead-letters`)).json()) as { total: number }).total).toBeGreaterThan(0);

  await page.goto('/');
  await page.getByTestId('pipelines-menu').click();
  await page.getByTestId(`open-pipeline-${id}`).click();
  await selectNode(page, 'orders');
  const history = page.getByTestId('node-error-history');
  await expect(history).toBeVisible();
  await expect(page.getByTestId('node-error-total')).toContainText(/\d+ records? failed/);
  const group = page.getByTestId('node-error-group').first();
  await expect(group).toContainText('jsonl:');
  await expect(group.getByTestId('node-error-count')).toHaveText(/^\d+×$/);
  await expect(group).toContainText(/first (\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d\.\d{3}/);
  // A node with no failures shows no error history.
  const other = await page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')!).filter((n) => n !== 'orders'));
  await selectNode(page, other[other.length - 1]);
  await expect(page.getByTestId('node-error-history')).toHaveCount(0);
  await request.post(`/api/pipelines/${id}/stop`);
});
