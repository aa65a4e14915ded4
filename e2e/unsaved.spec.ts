import { test, expect } from './fixtures';
import { shot } from './helpers';

const doc = {
  format: 'eddy/pipeline@1', name: 'Imported later',
  nodes: [{ id: 'gen', kind: 'source.generator', params: {}, ui: { x: 0, y: 0 } }, { id: 'live', kind: 'sink.live', params: {}, ui: { x: 260, y: 0 } }],
  edges: [{ from: 'gen', to: 'live' }],
};

test('New, opening another pipeline and importing ask before unsaved edits are thrown away', async ({ page }, testInfo) => {
  // The browser's confirm() is not the answer: any native dialog fails the test.
  page.on('dialog', (d) => { throw new Error(`native dialog: ${d.message()}`); });
  await page.goto('/');
  await page.getByTestId('templates').click();
  await page.getByTestId('template-open-page-views').click();
  await expect(page.getByTestId('node-clicks')).toBeVisible();
  const name = await page.getByTestId('pipeline-name').inputValue();
  await page.getByTestId('pipeline-name').fill(`${name} (edited)`);

  // New: the app's dialog asks; keeping the edits stays.
  await page.getByTestId('pipelines-menu').click();
  await page.getByTestId('new-pipeline').click();
  await expect(page.getByTestId('ask-dialog')).toContainText('not saved');
  await shot(page, (n) => testInfo.outputPath(n), 'unsaved-changes.png');
  await page.getByTestId('ask-cancel').click();
  await expect(page.getByTestId('ask-dialog')).toHaveCount(0);
  await expect(page.getByTestId('pipeline-name')).toHaveValue(`${name} (edited)`);

  // Import: Esc keeps the edits too.
  await page.getByTestId('import-file').setInputFiles({ name: 'later.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
  await expect(page.getByTestId('ask-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('ask-dialog')).toHaveCount(0);
  await expect(page.getByTestId('pipeline-name')).toHaveValue(`${name} (edited)`);

  // Opening another pipeline: save, then continue — the edit is on the server and the other one opens.
  await page.getByTestId('pipelines-menu').click();
  await page.getByTestId('pipelines-list').locator('.pipeline-item:not(.current)').first().locator('button.pipeline-open').click();
  await page.getByTestId('ask-save').click();
  await expect(page.getByTestId('notice-info').first()).toContainText(`Saved “${name} (edited)”`);
  await expect(page.getByTestId('pipeline-name')).not.toHaveValue(`${name} (edited)`);
  const names = ((await (await page.request.get('/api/pipelines')).json()).pipelines as { name: string }[]).map((p) => p.name);
  expect(names).toContain(`${name} (edited)`);

  // Discard: an edit, then New, discarding it.
  await page.getByTestId('pipeline-name').fill('Thrown away');
  await page.getByTestId('pipelines-menu').click();
  await page.getByTestId('new-pipeline').click();
  await page.getByTestId('ask-discard').click();
  await expect(page.getByTestId('pipeline-name')).toHaveValue('Untitled pipeline');
  await expect(page.locator('.react-flow__node')).toHaveCount(0);

  // Nothing edited: no question.
  await page.getByTestId('import-file').setInputFiles({ name: 'later.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
  await expect(page.getByTestId('pipeline-name')).toHaveValue('Imported later');
  await expect(page.getByTestId('ask-dialog')).toHaveCount(0);
});
