import { test, expect } from './fixtures';

/** Every kind of the catalog: added from the palette, its inspector form generated from its schema, no page error. */
test('every kind adds from the palette and gets an inspector form', async ({ page, request }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => void d.accept());
  const catalog = await (await request.get('/api/catalog')).json() as { kinds: { kind: string; title: string }[] };
  expect(catalog.kinds.length).toBeGreaterThanOrEqual(25);
  await page.goto('/');
  await expect(page.getByTestId('palette-filter')).toBeVisible();
  await page.getByTestId('pipelines-menu').click();
  await page.getByTestId('new-pipeline').click();
  for (const [i, { kind, title }] of catalog.kinds.entries()) {
    await page.getByTestId('palette-search').fill(kind);
    await page.getByTestId(`palette-${kind}`).dblclick();
    await expect(page.locator('.react-flow__node')).toHaveCount(i + 1);
    await page.locator('.react-flow__node').last().click();
    const inspector = page.getByTestId('inspector');
    await expect(inspector.locator('h2')).toContainText(title);
    await expect(inspector.locator('.kind')).toHaveText(kind);
    await expect(inspector).not.toContainText('Unknown kind');
  }
  expect(errors).toEqual([]);
});
