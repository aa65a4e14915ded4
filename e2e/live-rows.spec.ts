import { test, expect, type Page } from './fixtures';

/** Two live tables fed at once: `views` gets the page views, `carts` the add-to-cart events. */
const twoSinks = (name: string) => ({
  format: 'eddy/pipeline@1', name,
  nodes: [
    { id: 'clicks', kind: 'source.generator', params: { scenario: 'clickstream', ratePerSec: 200, seed: 11 }, ui: { x: 0, y: 100 } },
    { id: 'page_views', kind: 'filter', params: { where: "event_type = 'page_view'" }, ui: { x: 260, y: 0 } },
    { id: 'add_to_cart', kind: 'filter', params: { where: "event_type = 'add_to_cart'" }, ui: { x: 260, y: 200 } },
    { id: 'views', kind: 'sink.live', params: {}, ui: { x: 520, y: 0 } },
    { id: 'carts', kind: 'sink.live', params: {}, ui: { x: 520, y: 200 } },
  ],
  edges: [{ from: 'clicks', to: 'page_views' }, { from: 'clicks', to: 'add_to_cart' }, { from: 'page_views', to: 'views' }, { from: 'add_to_cart', to: 'carts' }],
});

/** The socket.io events on the page's websocket, in order: `42["name",payload]` frames. */
function socketEvents(page: Page) {
  const received: { name: string; nodeId?: string }[] = [];
  const sent: { name: string; nodeId?: string }[] = [];
  const parse = (payload: string | Buffer) => {
    const text = typeof payload === 'string' ? payload : payload.toString();
    if (!text.startsWith('42[')) return null;
    const [name, body] = JSON.parse(text.slice(2)) as [string, { nodeId?: string } | undefined];
    return { name, nodeId: body?.nodeId };
  };
  page.on('websocket', (ws) => {
    ws.on('framereceived', (f) => { const e = parse(f.payload); if (e) received.push(e); });
    ws.on('framesent', (f) => { const e = parse(f.payload); if (e) sent.push(e); });
  });
  return { received, sent, rowsOf: (from = 0) => received.slice(from).filter((e) => e.name === 'rows').map((e) => e.nodeId) };
}

/** The values of one column of the live rows table. */
async function column(page: Page, name: string): Promise<string[]> {
  const table = page.getByTestId('live-rows');
  const header = await table.locator('thead th').allTextContents();
  return table.locator('tbody tr').locator(`td:nth-child(${header.indexOf(name) + 1})`).allTextContents();
}

test('the drawer shows one live table, and the socket brings the rows of that table only', async ({ page }) => {
  const created = await page.request.post('/api/pipelines', { data: twoSinks(`Two live tables ${Math.random().toString(36).slice(2, 7)}`) });
  expect(created.status()).toBe(201);
  const id = (await created.json()).id as string;
  expect((await page.request.post(`/api/pipelines/${id}/deploy`)).status()).toBe(200);
  const events = socketEvents(page);
  await page.goto(`/p/${id}`);
  await expect(page.getByTestId('status-badge')).toHaveText('running');

  // The first table is shown: its rows arrive, and none of the other table, which fills at the same time.
  await expect(page.getByTestId('live-rows-node')).toHaveValue('views');
  await expect(page.getByTestId('live-rows').locator('tbody tr').first()).toBeVisible();
  await expect.poll(() => events.rowsOf().length).toBeGreaterThanOrEqual(3);
  expect(new Set(await column(page, 'event_type'))).toEqual(new Set(['page_view']));
  await expect.poll(async () => (await (await page.request.get(`/api/pipelines/${id}/nodes/carts/rows`)).json()).total).toBeGreaterThan(0);
  expect(new Set(events.rowsOf())).toEqual(new Set(['views']));

  // Switching the table: the drawer shows the carts, the socket brings carts rows only from then on.
  const switchedAt = events.received.length;
  await page.getByTestId('live-rows-node').selectOption('carts');
  await expect.poll(async () => new Set(await column(page, 'event_type'))).toEqual(new Set(['add_to_cart']));
  expect(events.sent).toEqual(expect.arrayContaining([{ name: 'unwatchRows', nodeId: 'views' }, { name: 'watchRows', nodeId: 'carts' }]));
  await expect.poll(() => events.rowsOf(switchedAt).filter((n) => n === 'carts').length).toBeGreaterThanOrEqual(3);
  const after = events.rowsOf(switchedAt);
  expect(new Set(after.slice(after.indexOf('carts')))).toEqual(new Set(['carts']));

  // Another drawer tab stops the rows of the table it hid.
  const hiddenAt = events.sent.length;
  await page.getByTestId('tab-metrics').click();
  await expect.poll(() => events.sent.slice(hiddenAt)).toContainEqual({ name: 'unwatchRows', nodeId: 'carts' });
  await page.getByTestId('stop').click();
  await expect(page.getByTestId('status-badge')).toHaveText('stopped');
});
