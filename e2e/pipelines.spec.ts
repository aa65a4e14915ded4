import { test, expect } from './fixtures';
import { selectNode, setExpression } from './helpers';

const doc = {
  format: 'eddy/pipeline@1',
  name: 'Imported clicks',
  nodes: [
    { id: 'clicks', kind: 'source.generator', params: { scenario: 'clickstream' }, ui: { x: 0, y: 0 } },
    { id: 'expensive', kind: 'filter', params: { where: 'prize > 100' }, ui: { x: 260, y: 0 } },
    { id: 'live', kind: 'sink.live', params: {}, ui: { x: 520, y: 0 } },
  ],
  edges: [{ from: 'clicks', to: 'expensive' }, { from: 'expensive', to: 'live' }],
};

test('import, validation errors on the node, fix, save, rename, list, open, delete', async ({ page }) => {
  page.on('dialog', (d) => void d.accept());
  await page.goto('/');
  await expect(page.getByTestId('palette-filter')).toBeVisible();

  await page.getByTestId('import-file').setInputFiles({ name: 'clicks.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
  await expect(page.getByTestId('pipeline-name')).toHaveValue('Imported clicks');
  await expect(page.locator('.react-flow__node')).toHaveCount(3);

  // The unknown field shows on its node and in Problems, with the path.
  await expect(page.getByTestId('node-errors-expensive')).toHaveText('1');
  await page.getByTestId('tab-problems').click();
  await expect(page.getByTestId('problems')).toContainText("Unknown field 'prize'; did you mean 'price'?");
  await expect(page.getByTestId('problems')).toContainText('nodes[1].params.where');
  await page.getByTestId('deploy').click();
  await expect(page.getByTestId('notice-error')).toContainText('Fix 1 problem');

  await selectNode(page, 'expensive');
  await expect(page.getByTestId('error-where')).toContainText("Unknown field 'prize'");
  await setExpression(page, 'param-where', 'price > 100');
  await expect(page.getByTestId('node-errors-expensive')).toHaveCount(0);

  // Undo brings the error back, redo fixes it again.
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('node-errors-expensive')).toHaveText('1');
  await page.getByTestId('redo').click();
  await expect(page.getByTestId('node-errors-expensive')).toHaveCount(0);

  await page.getByTestId('save').click();
  await expect(page.getByTestId('notice-info').first()).toContainText('Saved');
  await page.getByTestId('pipeline-name').fill('Expensive clicks');
  await page.getByTestId('save').click();
  await expect(page.getByTestId('notice-info').last()).toContainText('revision 2');

  // It is listed; open another pipeline and come back to it.
  await page.getByTestId('pipelines-menu').click();
  const list = page.getByTestId('pipelines-list');
  await expect(list).toContainText('Expensive clicks');
  await expect(list).toContainText('Page views per country');
  await list.getByText('Page views per country', { exact: true }).first().click();
  await expect(page.getByTestId('pipeline-name')).toHaveValue('Page views per country');
  await page.getByTestId('pipelines-menu').click();
  await page.getByTestId('pipelines-list').getByText('Expensive clicks').click();
  await expect(page.getByTestId('pipeline-name')).toHaveValue('Expensive clicks');
  await expect(page.getByTestId('node-expensive')).toBeVisible();

  // Delete it.
  await page.getByTestId('pipelines-menu').click();
  const item = page.getByTestId('pipelines-list').locator('.pipeline-item', { hasText: 'Expensive clicks' });
  await item.getByTitle('Delete').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('Delete “Expensive clicks”?');
  await page.getByTestId('confirm-ok').click();
  await page.getByTestId('pipelines-menu').click();
  await expect(page.getByTestId('pipelines-list')).not.toContainText('Expensive clicks');
  await page.screenshot({ path: 'test-results/pipelines-menu.png' });
});

test('a file that is not a pipeline is refused with the reason', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('palette-filter')).toBeVisible();
  await page.getByTestId('import-file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "eddy/pipeline@9"}') });
  await expect(page.getByTestId('notice-error')).toContainText('Unknown format version');
  await page.getByTestId('import-file').setInputFiles({ name: 'worse.json', mimeType: 'application/json', buffer: Buffer.from('not json') });
  await expect(page.getByTestId('notice-error').last()).toContainText('worse.json is not JSON');
});
