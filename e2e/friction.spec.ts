import { test, expect, type Page } from './fixtures';
import { connect, dropKind, newEmptyPipeline, selectNode, setExpression } from './helpers';

async function open(page: Page, id: string) {
  await page.getByTestId('pipelines-menu').click();
  await page.getByTestId(`open-pipeline-${id}`).click();
}

const zoom = (page: Page) => page.locator('.canvas .react-flow__viewport').evaluate((el) => new DOMMatrix(getComputedStyle(el).transform).a);

test('the bottom drawer resizes by its top edge and keeps its size across reloads', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('palette-filter')).toBeVisible();
  const drawer = page.getByTestId('drawer');
  const before = (await drawer.boundingBox())!.height;
  const edge = (await page.getByTestId('drawer-resizer').boundingBox())!;
  await page.mouse.move(edge.x + 300, edge.y + edge.height / 2);
  await page.mouse.down();
  await page.mouse.move(edge.x + 300, edge.y - 100, { steps: 4 });
  await page.mouse.move(edge.x + 300, edge.y - 200, { steps: 4 });
  await page.mouse.up();
  const after = (await drawer.boundingBox())!.height;
  expect(after).toBeGreaterThan(before + 150);
  await page.reload();
  await expect(page.getByTestId('palette-filter')).toBeVisible();
  await expect.poll(async () => Math.round((await drawer.boundingBox())!.height)).toBe(Math.round(after));
  await page.evaluate(() => localStorage.removeItem('eddy.drawerHeight'));
});

test('templates open at a readable zoom', async ({ page, request }) => {
  const templates = await (await request.get('/api/templates')).json() as { templates: { id: string }[] };
  await page.goto('/');
  await expect(page.getByTestId('palette-filter')).toBeVisible();
  for (const t of templates.templates) {
    await page.getByTestId('templates').click();
    await page.getByTestId(`template-open-${t.id}`).click();
    await expect(page.getByTestId('notice-info').last()).toContainText('from a template');
    await page.waitForTimeout(400); // the fit runs once the nodes are measured
    expect(await zoom(page), t.id).toBeGreaterThanOrEqual(0.75);
  }
});

test('figures read as what they are: a replayed file’s watermark as a time, epoch columns as times with the raw value on hover', async ({ page, request }) => {
  const { id } = await (await request.post('/api/templates/streaming-etl')).json() as { id: string };
  expect((await request.post(`/api/pipelines/${id}/deploy`)).ok()).toBe(true);
  await page.goto('/');
  await open(page, id);
  // The sample orders are from 2026-01-01: "wm −335.2d" becomes the watermark's time.
  const lag = page.getByTestId('node-lag-orders');
  await expect(lag).toHaveText(/^wm \d\d:\d\d:\d\d$/);
  await expect(lag).toHaveAttribute('title', /^watermark 2026-01-01 .* behind the wall clock/);
  await page.getByTestId('tab-live-rows').click();
  const table = page.getByTestId('live-rows');
  await expect(table.locator('tbody tr').first()).toBeVisible();
  const header = await table.locator('thead th').allTextContents();
  const ts = table.locator('tbody tr').first().locator(`td:nth-child(${header.indexOf('ts') + 1})`);
  await expect(ts).toHaveText(/^2026-01-01 \d\d:\d\d:\d\d\.\d{3}$/);
  await expect(ts).toHaveAttribute('title', /^\d{13}$/);
  await request.post(`/api/pipelines/${id}/stop`);
});

test('"Deploy now" offers to open the existing pipeline of a template and to stop the others', async ({ page, request }) => {
  const existing = await (await request.post('/api/templates/ad-analytics')).json() as { id: string; name: string };
  const other = await (await request.post('/api/pipelines', { data: {
    format: 'eddy/pipeline@1', name: 'Already running',
    nodes: [{ id: 'gen', kind: 'source.generator', params: {} }, { id: 'live', kind: 'sink.live', params: {} }], edges: [{ from: 'gen', to: 'live' }],
  } })).json() as { id: string };
  expect((await request.post(`/api/pipelines/${other.id}/deploy`)).ok()).toBe(true);
  const count = async () => ((await (await request.get('/api/pipelines')).json()) as { pipelines: { name: string }[] }).pipelines.filter((p) => p.name === existing.name).length;
  const before = await count();

  await page.goto('/');
  await expect(page.getByTestId('palette-filter')).toBeVisible();
  await page.getByTestId('templates').click();
  await expect(page.getByTestId('template-deploy-ad-analytics')).toBeVisible();
  await page.waitForTimeout(300); // the gallery lists the pipelines as it opens
  await page.getByTestId('template-deploy-ad-analytics').click();
  const ask = page.getByTestId('confirm-dialog');
  await expect(ask).toContainText(`“${existing.name}” exists already`);
  await expect(ask).toContainText('“Already running”');
  await expect(page.getByTestId('confirm-option')).toBeChecked();
  await page.getByTestId('confirm-ok').click();

  await expect(page.getByTestId('status-badge')).toHaveText('running');
  await expect(page.getByTestId('pipeline-name')).toHaveValue(existing.name);
  expect(await count()).toBe(before);
  await expect.poll(async () => ((await (await request.get(`/api/pipelines/${other.id}/status`)).json()) as { state: string }).state).toBe('stopped');
  await request.post(`/api/pipelines/${existing.id}/stop`);
  await request.delete(`/api/pipelines/${other.id}`);
});

test('"modified since deploy" shows when the canvas would run differently, with what changed', async ({ page, request }) => {
  const { id } = await (await request.post('/api/pipelines', { data: {
    format: 'eddy/pipeline@1', name: 'Drift check',
    nodes: [{ id: 'gen', kind: 'source.generator', params: { ratePerSec: 10 }, ui: { x: 0, y: 0 } },
      { id: 'keep', kind: 'filter', params: { where: 'price > 1' }, ui: { x: 300, y: 0 } },
      { id: 'live', kind: 'sink.live', params: {}, ui: { x: 600, y: 0 } }],
    edges: [{ from: 'gen', to: 'keep' }, { from: 'keep', to: 'live' }],
  } })).json() as { id: string };
  expect((await request.post(`/api/pipelines/${id}/deploy`)).ok()).toBe(true);
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto('/');
  await open(page, id);
  await expect(page.getByTestId('status-badge')).toHaveText('running');
  await expect(page.getByTestId('deploy-drift')).toHaveCount(0);

  await selectNode(page, 'keep');
  await setExpression(page, 'param-where', 'price > 2');
  const drift = page.getByTestId('deploy-drift');
  await expect(drift).toBeVisible();
  await expect(drift).toHaveAttribute('title', /changed keep \(params\.where\)/);
  await drift.click();
  await expect(page.getByTestId('deploy-drift-summary')).toContainText('Running: revision 1. Canvas: changed keep (params.where)');
  // Everything in the bar stays on screen at 1024 px while running and modified.
  const rightmost = await page.locator('.topbar').evaluate((bar) => Math.max(...[...bar.querySelectorAll('button, input, .badge')].map((e) => e.getBoundingClientRect().right)));
  expect(rightmost).toBeLessThanOrEqual(1024);

  await page.getByTestId('undo').click();
  await expect(drift).toHaveCount(0);
  await request.post(`/api/pipelines/${id}/stop`);
});

test('a node has a free-text label apart from its id; an id is refused with the reason', async ({ page, request }) => {
  await newEmptyPipeline(page);
  await dropKind(page, 'source.generator', 120, 150);
  await dropKind(page, 'filter', 420, 150);
  const [gen, id] = await page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')!));
  await connect(page, gen, id);
  await selectNode(page, id);

  await page.getByTestId('node-label-input').fill('Only big orders (€100+)');
  await expect(page.getByTestId(`node-label-${id}`)).toHaveText('Only big orders (€100+)');
  await expect(page.getByTestId(`node-${id}`)).toContainText(id);

  const idInput = page.getByTestId('node-id-input');
  await idInput.fill('9 lives');
  await expect(page.getByTestId('node-id-problem')).toContainText('Node ids start with a letter or _');
  await idInput.press('Enter');
  await expect(page.getByTestId('notice-error').last()).toContainText(`Id '9 lives' refused: Node ids start with a letter or _`);
  await expect(idInput).toHaveValue(id);
  await idInput.fill('big_orders');
  await idInput.press('Enter');
  await expect(page.getByTestId('node-big_orders')).toBeVisible();
  await expect(page.getByTestId('node-label-big_orders')).toHaveText('Only big orders (€100+)');

  // Stored as the node's optional name in the document.
  const title = `Labels ${Date.now()}`;
  await page.getByTestId('pipeline-name').fill(title);
  await page.getByTestId('save').click();
  await expect(page.getByTestId('notice-info').last()).toContainText('Saved');
  const list = await (await request.get('/api/pipelines')).json() as { pipelines: { id: string; name: string }[] };
  const saved = await (await request.get(`/api/pipelines/${list.pipelines.find((p) => p.name === title)!.id}`)).json() as { document: { nodes: { id: string; name?: string }[] } };
  expect(saved.document.nodes.find((n) => n.id === 'big_orders')).toMatchObject({ name: 'Only big orders (€100+)' });
});
