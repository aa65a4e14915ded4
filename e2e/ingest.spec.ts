import { test, expect } from './fixtures';
import { selectNode } from './helpers';

const doc = {
  format: 'eddy/pipeline@1',
  name: 'Ingested orders',
  nodes: [
    { id: 'orders', kind: 'source.http', params: { fields: [{ name: 'user', type: 'string' }, { name: 'amount', type: 'number' }] }, ui: { x: 0, y: 0 } },
    { id: 'big', kind: 'filter', params: { where: 'amount >= 100' }, ui: { x: 280, y: 0 } },
    { id: 'live', kind: 'sink.live', params: {}, ui: { x: 560, y: 0 } },
  ],
  edges: [{ from: 'orders', to: 'big' }, { from: 'big', to: 'live' }],
};

test('an HTTP source shows its ingest URL; records POSTed there arrive in the live table', async ({ page, request }) => {
  const created = await request.post('/api/pipelines', { data: doc });
  const { id } = await created.json();
  await page.goto('/');
  await page.getByTestId('pipelines-menu').click();
  await page.getByTestId('pipelines-list').getByText('Ingested orders').click();
  await selectNode(page, 'orders');
  const hint = page.getByTestId('ingest-hint');
  await expect(hint).toContainText(`/api/ingest/${id}/orders`);
  await page.getByTestId('deploy').click();
  await expect(page.getByTestId('status-badge')).toHaveText('running');
  const url = (await hint.locator('code').first().textContent())!;
  const res = await request.post(url, { data: [{ user: 'ann', amount: 120 }, { user: 'bob', amount: 5 }, { user: 'cy', amount: 300 }] });
  expect(res.status()).toBe(202);
  await page.getByTestId('tab-live-rows').click();
  const rows = page.getByTestId('live-rows').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId('live-rows')).toContainText('ann');
  await expect(page.getByTestId('live-rows')).toContainText('cy');
  await expect(page.getByTestId('live-rows')).not.toContainText('bob');
  await page.getByTestId('stop').click();
  await expect(page.getByTestId('status-badge')).toHaveText('stopped');
});
