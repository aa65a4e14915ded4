import { test, expect, type Page } from './fixtures';
import { connect, dropKind, newEmptyPipeline } from './helpers';

const fresh = newEmptyPipeline;

async function typeCode(page: Page, text: string) {
  await page.getByTestId('code-view').locator('.monaco-editor').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

test('the first node dropped on an empty canvas lands where it was dropped', async ({ page }) => {
  await fresh(page);
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  await dropKind(page, 'filter', 150, 110);
  await page.waitForTimeout(300); // a fit of the view would come within this time
  const box = (await page.locator('.react-flow__node').first().boundingBox())!;
  const drop = { x: canvas.x + 150, y: canvas.y + 110 };
  expect(drop.x).toBeGreaterThanOrEqual(box.x);
  expect(drop.x).toBeLessThanOrEqual(box.x + box.width);
  expect(drop.y).toBeGreaterThanOrEqual(box.y);
  expect(drop.y).toBeLessThanOrEqual(box.y + box.height);
});

test('Esc closes the Templates dialog and the Pipelines menu', async ({ page }) => {
  await fresh(page);
  await page.getByTestId('templates').click();
  await expect(page.getByTestId('templates-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('templates-dialog')).toHaveCount(0);
  await page.getByTestId('pipelines-menu').click();
  await expect(page.getByTestId('pipelines-list')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('pipelines-list')).toHaveCount(0);
});

test('the Pipelines menu is readable, ships its icons, and tells namesakes apart', async ({ page, request }) => {
  const doc = { format: 'eddy/pipeline@1', name: 'Twin', nodes: [], edges: [] };
  const a = await (await request.post('/api/pipelines', { data: doc })).json() as { id: string };
  const b = await (await request.post('/api/pipelines', { data: doc })).json() as { id: string };
  await fresh(page);
  await page.getByTestId('pipelines-menu').click();
  for (const id of [a.id, b.id]) {
    const item = page.getByTestId(`pipeline-item-${id}`);
    await expect(item).toContainText('Twin');
    await expect(item).toContainText(id);
    await expect(item).toContainText('stopped');
    await expect(item.getByTestId('pipeline-updated')).toHaveAttribute('title', /\d{4}-\d\d-\d\d/);
    // The delete icon is drawn, not a font glyph.
    await expect(item.getByTestId(`delete-pipeline-${id}`).locator('svg')).toHaveCount(1);
    // Dark text on a light background, the name away from the edge.
    const look = await item.getByTestId(`open-pipeline-${id}`).evaluate((el) => {
      const s = getComputedStyle(el);
      return { bg: s.backgroundColor, color: s.color, padLeft: parseFloat(s.paddingLeft) + el.getBoundingClientRect().left - el.parentElement!.getBoundingClientRect().left };
    });
    const lum = (c: string) => { const [r, g, bl, al] = c.match(/[\d.]+/g)!.map(Number); return al === 0 ? 255 : 0.3 * r + 0.59 * g + 0.11 * bl; };
    expect(lum(look.bg)).toBeGreaterThan(200);
    expect(lum(look.color)).toBeLessThan(130);
    expect(look.padLeft).toBeGreaterThanOrEqual(4);
  }
  await page.keyboard.press('Escape');
  for (const id of [a.id, b.id]) await request.delete(`/api/pipelines/${id}`);
});

test('Ctrl+S saves while the name field has focus; the top bar fits at 1024 px', async ({ page }) => {
  await fresh(page);
  await dropKind(page, 'source.generator', 150, 150);
  await page.getByTestId('pipeline-name').fill('Saved from the name field');
  await page.getByTestId('pipeline-name').press('ControlOrMeta+s');
  await expect(page.getByTestId('notice-info').last()).toContainText('Saved “Saved from the name field”');

  await page.setViewportSize({ width: 1024, height: 768 });
  const fit = await page.locator('.topbar').evaluate((bar) => ({
    overflow: bar.scrollWidth - bar.clientWidth,
    rightmost: Math.max(...[...bar.querySelectorAll('button, input, .badge')].map((e) => e.getBoundingClientRect().right)),
  }));
  expect(fit.overflow).toBeLessThanOrEqual(0);
  expect(fit.rightmost).toBeLessThanOrEqual(1024);
  await expect(page.getByTestId('status-badge')).toBeInViewport({ ratio: 1 });
  await expect(page.getByTestId('deploy')).toBeInViewport({ ratio: 1 });
});

test('self-loops are refused; duplicate ids and over-long names in the code view are plain errors', async ({ page }) => {
  await fresh(page);
  await dropKind(page, 'filter', 300, 150);
  const id = await page.locator('.react-flow__node').first().getAttribute('data-id');
  await connect(page, id!, id!);
  await expect(page.locator('.react-flow__edge')).toHaveCount(0);

  await page.getByTestId('tab-code').click();
  const doc = (name: string, ids: string[]) => JSON.stringify({
    format: 'eddy/pipeline@1', name,
    nodes: ids.map((n, i) => ({ id: n, kind: 'source.generator', params: {}, ui: { x: i * 300, y: 0 } })), edges: [],
  });
  await typeCode(page, doc('Dupes', ['gen', 'gen']));
  await expect(page.getByTestId('code-problem')).toContainText("Node id 'gen' is used twice");
  await expect(page.locator('.react-flow__node')).toHaveCount(1);
  await typeCode(page, doc('x'.repeat(201), ['gen']));
  await expect(page.getByTestId('code-problem')).toContainText("'name' has at most 200 characters");
  await expect(page.getByTestId('code-problem')).not.toContainText('Too big');
  await typeCode(page, doc('Fine', ['gen', 'gen2']));
  await expect(page.locator('.react-flow__node')).toHaveCount(2);
  await expect(page.getByTestId('code-problem')).toHaveCount(0);
});
