import { test, expect } from './fixtures';
import { connect, dropKind } from './helpers';

test('deleting a node is one undo step: it comes back with its edges, and the pipeline saves', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  await page.getByTestId('pipelines-menu').click();
  await page.getByTestId('new-pipeline').click();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await dropKind(page, 'source.generator', 120, 120);
  await dropKind(page, 'filter', 420, 120);
  await dropKind(page, 'sink.live', 720, 120);
  await connect(page, 'source_generator', 'filter');
  await connect(page, 'filter', 'sink_live');
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);

  await page.getByTestId('node-filter').click();
  await page.keyboard.press('Delete');
  await expect(page.locator('.react-flow__node')).toHaveCount(2);
  await expect(page.locator('.react-flow__edge')).toHaveCount(0);

  await page.getByTestId('undo').click();
  await expect(page.locator('.react-flow__node')).toHaveCount(3);
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);
  await page.getByTestId('save').click();
  await expect(page.getByTestId('notice-info').last()).toContainText('Saved');
  const id = /\/p\/([^/]+)$/.exec(new URL(page.url()).pathname)?.[1] ?? (await (await page.request.get('/api/pipelines')).json()).pipelines[0].id;
  const stored = await (await page.request.get(`/api/pipelines/${id}`)).json();
  expect(stored.document.edges).toHaveLength(2);

  // Redo deletes both again in one step; one more undo restores everything.
  await page.getByTestId('redo').click();
  await expect(page.locator('.react-flow__edge')).toHaveCount(0);
  await page.getByTestId('undo').click();
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);

  // A click on a node (no move) is no undo step: one undo still removes the last edge drawn.
  await page.getByTestId('node-source_generator').click();
  await page.getByTestId('undo').click();
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
  await expect(page.locator('.react-flow__node')).toHaveCount(3);
});
