import { test, expect, type Page } from './fixtures';
import { connect, dropKind, selectNode, setExpression } from './helpers';

async function fresh(page: Page) {
  page.on('dialog', (d) => void d.accept());
  await page.goto('/');
  await expect(page.getByTestId('palette-filter')).toBeVisible();
  await page.getByTestId('pipelines-menu').click();
  await page.getByTestId('new-pipeline').click();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
}

test('palette: search with the doc on hover, drag and double-click to add', async ({ page }) => {
  await fresh(page);
  await page.getByTestId('palette-search').fill('wind');
  await expect(page.getByTestId('palette-window')).toBeVisible();
  await expect(page.getByTestId('palette-filter')).toHaveCount(0);
  await expect(page.getByTestId('palette-window')).toHaveAttribute('title', /window/i);
  await page.getByTestId('palette-search').fill('');
  await dropKind(page, 'source.generator', 120, 120);
  await page.getByTestId('palette-filter').dblclick();
  await expect(page.locator('.react-flow__node')).toHaveCount(2);
});

test('a connection into a window whose source has no event time says so on the edge', async ({ page }) => {
  await fresh(page);
  await dropKind(page, 'source.file', 100, 120);
  await dropKind(page, 'window', 420, 120);
  const ids = await page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')!));
  await connect(page, ids[0], ids[1]);
  const note = page.locator('[data-testid^="time-note-"]');
  await expect(note).toHaveText('⏱ no event time');
  await expect(note).toHaveAttribute('title', /declares no eventTime/);
});

test('inspector lists, expression completion and inline errors', async ({ page }) => {
  await fresh(page);
  await dropKind(page, 'source.generator', 100, 120);
  await dropKind(page, 'window', 420, 120);
  const ids = await page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
  await connect(page, ids[0]!, ids[1]!);
  await selectNode(page, ids[1]!);
  // A list param: add an aggregate, pick its function, remove it again.
  const list = page.getByTestId('param-aggregates-list');
  const before = await list.locator('.array-row').count();
  await page.getByTestId('param-aggregates-add').click();
  await expect(list.locator('.array-row')).toHaveCount(before + 1);
  await page.getByTestId(`param-aggregates-${before}-fn`).selectOption('max');
  await page.getByTestId(`param-aggregates-${before}-name`).fill('top_price');
  await page.getByTestId(`param-aggregates-${before}-field`).fill('price');
  await expect(page.getByTestId(`node-errors-${ids[1]}`)).toHaveCount(0);
  await page.getByTestId(`param-aggregates-remove-${before}`).click();
  await expect(list.locator('.array-row')).toHaveCount(before);

  // Completion of the input's field names in Monaco, and the shared checker's error as you type.
  await dropKind(page, 'filter', 260, 300);
  const filterId = (await page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id'))))[2]!;
  await connect(page, ids[0]!, filterId);
  await selectNode(page, filterId);
  const editor = page.getByTestId('param-where').locator('.monaco-editor');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type('coun'); // real key presses: Monaco suggests as you type
  await expect(page.locator('.suggest-widget')).toContainText('country');
  await page.keyboard.press('Escape');
  await setExpression(page, 'param-where', 'prise > 10');
  await expect(page.getByTestId('error-where')).toContainText("Unknown field 'prise'");
  await setExpression(page, 'param-where', 'price > 10');
  await expect(page.getByTestId('error-where')).toHaveCount(0);
});

test('code view: edits flow both ways; invalid JSON never touches the canvas', async ({ page }) => {
  await fresh(page);
  await dropKind(page, 'source.generator', 120, 120);
  await page.getByTestId('tab-code').click();
  const code = page.getByTestId('code-view');
  await expect(code.locator('.view-lines')).toContainText('Untitled pipeline');
  // Canvas (and top bar) → code.
  await page.getByTestId('pipeline-name').fill('Renamed on the canvas');
  await expect(code.locator('.view-lines')).toContainText('"name": "Renamed on the canvas"');
  // Code → canvas: replace the whole text with a valid document.
  const doc = {
    format: 'eddy/pipeline@1', name: 'Typed in code',
    nodes: [{ id: 'gen', kind: 'source.generator', params: {}, ui: { x: 0, y: 0 } }, { id: 'out', kind: 'sink.live', params: {}, ui: { x: 300, y: 0 } }],
    edges: [{ from: 'gen', to: 'out' }],
  };
  await code.locator('.monaco-editor').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(JSON.stringify(doc));
  await expect(page.getByTestId('pipeline-name')).toHaveValue('Typed in code');
  await expect(page.getByTestId('node-gen')).toBeVisible();
  await expect(page.getByTestId('node-out')).toBeVisible();
  // Broken JSON: an error, and the canvas keeps the last valid pipeline.
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.insertText(',,,');
  await expect(page.getByTestId('code-problem')).toContainText('Not valid JSON');
  await expect(page.locator('.react-flow__node')).toHaveCount(2);
  // The code edit was one undoable step: undo brings back the canvas before it, and the code follows.
  await page.getByTestId('undo').click();
  await expect(page.locator('.react-flow__node')).toHaveCount(1);
  await expect(page.getByTestId('pipeline-name')).toHaveValue('Renamed on the canvas');
  await expect(code.locator('.view-lines')).toContainText('"name": "Renamed on the canvas"');
});

test('guarantee badges follow the pipeline: weaker at a live table, with the reason', async ({ page }) => {
  await fresh(page);
  const doc = (guarantee: string) => JSON.stringify({
    format: 'eddy/pipeline@1', name: 'Badges', settings: { guarantee },
    nodes: [
      { id: 'gen', kind: 'source.generator', params: {}, ui: { x: 0, y: 0 } },
      { id: 'keep', kind: 'filter', params: { where: 'price > 0' }, ui: { x: 320, y: 0 } },
      { id: 'out', kind: 'sink.file', params: { path: 'out.jsonl' }, ui: { x: 640, y: -80 } },
      { id: 'live', kind: 'sink.live', params: {}, ui: { x: 640, y: 120 } },
    ],
    edges: [{ from: 'gen', to: 'keep' }, { from: 'keep', to: 'out' }, { from: 'keep', to: 'live' }],
  });
  await page.getByTestId('tab-code').click();
  const typeDoc = async (text: string) => {
    await page.getByTestId('code-view').locator('.monaco-editor').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(text);
  };
  await typeDoc(doc('exactly-once'));
  await expect(page.getByTestId('guarantee-gen:out->keep:in')).toHaveText('EO');
  await expect(page.getByTestId('guarantee-keep:out->out:in')).toHaveText('EO');
  const live = page.getByTestId('guarantee-keep:out->live:in');
  await expect(live).toHaveText('ALO');
  await expect(live).toHaveAttribute('title', /a live table is a view/);
  await typeDoc(doc('at-most-once'));
  await expect(page.getByTestId('guarantee-gen:out->keep:in')).toHaveText('AMO');
  await expect(live).toHaveText('AMO');
});

test('auto-layout, copy/paste, multi-select, undo', async ({ page }) => {
  await fresh(page);
  // The filter starts left of and above its source: the layout puts it after the source, on one row.
  await dropKind(page, 'source.generator', 420, 320);
  await dropKind(page, 'filter', 120, 80);
  const ids = await page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')!));
  await connect(page, ids[0], ids[1]);
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
  const box = async (id: string) => (await page.getByTestId(`node-${id}`).boundingBox())!;
  expect((await box(ids[1])).x).toBeLessThan((await box(ids[0])).x);
  await page.getByTestId('auto-layout').click();
  await expect.poll(async () => (await box(ids[1])).x - (await box(ids[0])).x).toBeGreaterThan(100);
  await expect.poll(async () => Math.abs((await box(ids[1])).y - (await box(ids[0])).y)).toBeLessThan(10);
  // Multi-select both, copy, paste: two more nodes and the edge between them.
  await page.getByTestId(`node-${ids[0]}`).click();
  await page.getByTestId(`node-${ids[1]}`).click({ modifiers: ['Shift'] });
  await page.keyboard.press('ControlOrMeta+C');
  await page.keyboard.press('ControlOrMeta+V');
  await expect(page.locator('.react-flow__node')).toHaveCount(4);
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);
  await page.keyboard.press('ControlOrMeta+Z');
  await expect(page.locator('.react-flow__node')).toHaveCount(2);
});

test.describe('stale save', () => {
  test.use({ allowedErrors: [/status of 409/] }); // the 409 is the point of the test
  test('a stale save (another tab saved first) gets 409 and a clear choice', async ({ page, browser }) => {
    page.on('dialog', (d) => void d.dismiss());
    await page.goto('/');
    // The app opens the newest pipeline after it starts with an empty one: wait for it.
    await expect(page.locator('.react-flow__node').first()).toBeVisible();
    await expect(page.getByTestId('pipeline-name')).not.toHaveValue(/^(Untitled pipeline)?$/);
    const name = await page.getByTestId('pipeline-name').inputValue();
    const other = await browser.newPage();
    await other.goto('/');
    await expect(other.getByTestId('pipeline-name')).toHaveValue(name);
    await other.getByTestId('pipeline-name').fill(`${name} (other tab)`);
    await other.getByTestId('save').click();
    await expect(other.getByTestId('notice-info').last()).toContainText('Saved');
    // This tab is now behind: saving asks; dismissing keeps the other tab's version on the server.
    await page.getByTestId('pipeline-name').fill(`${name} (this tab)`);
    await page.getByTestId('save').click();
    await expect(page.getByTestId('confirm-dialog')).toContainText(/revision|saved/i);
    await page.getByTestId('confirm-cancel').click();
    await other.reload();
    await expect(other.getByTestId('pipeline-name')).toHaveValue(`${name} (other tab)`);
    await other.close();
  });
});
