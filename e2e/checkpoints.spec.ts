import { test, expect } from './fixtures';
import { selectNode, shot } from './helpers';

/** Views per country in one-hour windows of a fixed timeline, plus a second live table to remove later. */
const doc = {
  format: 'eddy/pipeline@1',
  name: 'Checkpointed views',
  settings: { checkpointIntervalMs: 300 },
  nodes: [
    { id: 'clicks', kind: 'source.generator', params: { scenario: 'clickstream', ratePerSec: 1000, seed: 9, startTime: '2026-01-01T00:05:00Z' }, ui: { x: 0, y: 60 } },
    { id: 'per_country', kind: 'window', params: { type: 'tumbling', size: '1h', keyBy: ['country'], aggregates: [{ name: 'views', fn: 'count' }] }, ui: { x: 280, y: 0 } },
    { id: 'live', kind: 'sink.live', params: {}, ui: { x: 560, y: 0 } },
    { id: 'audit', kind: 'sink.live', params: {}, ui: { x: 280, y: 200 } },
  ],
  edges: [{ from: 'clicks', to: 'per_country' }, { from: 'per_country', to: 'live' }, { from: 'clicks', to: 'audit' }],
};

test('checkpoints list, savepoint, and the redeploy plan asked before deploying', async ({ page, request }, testInfo) => {
  const created = await request.post('/api/pipelines', { data: doc });
  expect(created.status()).toBe(201);
  const { id } = await created.json();
  await page.goto('/');
  await page.getByTestId('pipelines-menu').click();
  await page.getByTestId('pipelines-list').getByText('Checkpointed views').click();
  await expect(page.getByTestId('pipeline-name')).toHaveValue('Checkpointed views');

  await page.getByTestId('deploy').click();
  await expect(page.getByTestId('status-badge')).toHaveText('running');
  await page.getByTestId('tab-checkpoints').click();
  await expect(page.locator('[data-testid^="checkpoint-"] >> nth=0')).toBeVisible();
  await expect(page.getByTestId('checkpoint-summary')).toContainText('completed this run');
  // Per-node sizes of a checkpoint.
  await page.getByTestId('checkpoints').getByRole('button', { name: '4 nodes' }).first().click();
  await expect(page.locator('.checkpoint-nodes').first()).toContainText('per_country');

  await page.getByTestId('savepoint').click();
  await expect(page.getByTestId('status-badge')).toHaveText('stopped');
  await expect(page.getByTestId('resume-from')).toContainText('next deploy resumes from savepoint');
  await expect(page.getByTestId('checkpoints')).toContainText('savepoint');

  // Edit: remove the audit table. Deploying now restores the savepoint and says what each node keeps.
  await selectNode(page, 'audit');
  await page.getByTestId('canvas').press('Delete');
  await expect(page.getByTestId('node-audit')).toHaveCount(0);
  await page.getByTestId('deploy').click();
  const dialog = page.getByTestId('plan-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Deploy from savepoint');
  await expect(page.getByTestId('plan-per_country')).toContainText('keeps its state');
  await expect(page.getByTestId('plan-clicks')).toContainText('keeps its state');
  await expect(page.getByTestId('plan-audit')).toContainText('state dropped');
  await shot(page, (n) => testInfo.outputPath(n), 'redeploy-plan.png');
  await page.getByTestId('plan-keep').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('status-badge')).toHaveText('running');
  await expect(page.getByTestId('notice-info').last()).toContainText('3 nodes kept their state, 1 dropped');

  const plan = await (await request.get(`/api/pipelines/${id}/plan`)).json();
  expect(plan.current.checkpointKind).toBe('savepoint');
  await shot(page, (n) => testInfo.outputPath(n), 'checkpoints.png');
  await page.getByTestId('stop').click();
  await expect(page.getByTestId('status-badge')).toHaveText('stopped');
});
