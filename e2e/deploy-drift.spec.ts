import { test, expect } from './fixtures';
import { newEmptyPipeline, selectNode, setExpression } from './helpers';

// As a hand-written file says it: params without their defaults (the server stores them filled in), no settings.
const doc = {
  format: 'eddy/pipeline@1', name: 'Imported without defaults',
  nodes: [
    { id: 'gen', kind: 'source.generator', params: { ratePerSec: 10 }, ui: { x: 0, y: 0 } },
    { id: 'keep', kind: 'filter', params: { where: 'price > 1' }, ui: { x: 300, y: 0 } },
    { id: 'live', kind: 'sink.live', params: {}, ui: { x: 600, y: 0 } },
  ],
  edges: [{ from: 'gen', to: 'keep' }, { from: 'keep', to: 'live' }],
};

test('an imported file, deployed, is not "modified since deploy" until a real edit', async ({ page }) => {
  await newEmptyPipeline(page);
  await page.getByTestId('import-file').setInputFiles({ name: 'd.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
  await expect(page.locator('.react-flow__node')).toHaveCount(3);
  await page.getByTestId('deploy').click();
  await expect(page.getByTestId('status-badge')).toHaveText('running');
  const drift = page.getByTestId('deploy-drift');
  await expect(drift).toHaveCount(0);

  await selectNode(page, 'keep');
  await setExpression(page, 'param-where', 'price > 2');
  await expect(drift).toBeVisible();
  await expect(drift).toHaveAttribute('title', /changed keep \(params\.where\)/);
  // Back to the imported document (still without the defaults): the same as the running job.
  await page.getByTestId('undo').click();
  await expect(drift).toHaveCount(0);
  await page.getByTestId('stop').click();
  await expect(page.getByTestId('status-badge')).toHaveText('stopped');
});
