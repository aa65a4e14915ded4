import { test, expect, type APIRequestContext } from './fixtures';
import { shot } from './helpers';

const v1 = {
  format: 'eddy/pipeline@1', name: 'History walk',
  nodes: [
    { id: 'clicks', kind: 'source.generator', params: { scenario: 'clickstream' }, ui: { x: 0, y: 0 } },
    { id: 'views', kind: 'filter', params: { where: "event_type = 'page_view'" }, ui: { x: 300, y: 0 } },
    { id: 'audit', kind: 'sink.live', params: {}, ui: { x: 600, y: 120 } },
    { id: 'live', kind: 'sink.live', params: {}, ui: { x: 600, y: -60 } },
  ],
  edges: [{ from: 'clicks', to: 'views' }, { from: 'views', to: 'live' }, { from: 'clicks', to: 'audit' }],
};

async function put(request: APIRequestContext, id: string, revision: number, doc: unknown) {
  const res = await request.put(`/api/pipelines/${id}`, { data: doc, headers: { 'if-match': String(revision) } });
  expect(res.status()).toBe(200);
}

test('History lists each save with what changed, diffs any two on the canvas and as JSON, and restores', async ({ page, request }, testInfo) => {
  const { id } = await (await request.post('/api/pipelines', { data: v1 })).json() as { id: string };
  const v2 = structuredClone(v1);
  v2.nodes[1].params = { where: "event_type = 'click'" };
  await put(request, id, 1, v2);
  const v3 = structuredClone(v2);
  v3.nodes = v3.nodes.filter((n) => n.id !== 'audit');
  v3.edges = v3.edges.filter((e) => e.to !== 'audit');
  v3.nodes.push({ id: 'errors', kind: 'filter', params: { where: 'true' }, ui: { x: 300, y: 160 } });
  v3.edges.push({ from: 'clicks', to: 'errors' });
  await put(request, id, 2, v3);

  await page.goto('/');
  await page.getByTestId('pipelines-menu').click();
  await page.getByTestId(`open-pipeline-${id}`).click();
  await expect(page.getByTestId('pipeline-name')).toHaveValue('History walk');
  await page.getByTestId('history').click();
  const list = page.getByTestId('history-list');
  await expect(list.locator('tbody tr')).toHaveCount(3);
  await expect(page.getByTestId('revision-1')).toContainText('created');
  await expect(page.getByTestId('revision-2')).toContainText('changed views (params.where)');
  await expect(page.getByTestId('revision-3')).toContainText('added errors; removed audit');

  // Newest against the one before: added on the right, removed on the left.
  await expect(page.getByTestId('diff-b-errors')).toHaveAttribute('data-diff', 'added');
  await expect(page.getByTestId('diff-a-audit')).toHaveAttribute('data-diff', 'removed');
  await expect(page.getByTestId('diff-b-views')).toHaveAttribute('data-diff', 'same');
  // Any two: 1 → 3 shows the changed filter too.
  await page.getByTestId('pick-a-1').check();
  await expect(page.getByTestId('diff-b-views')).toHaveAttribute('data-diff', 'changed');
  await expect(page.getByTestId('diff-b-views')).toHaveAttribute('title', 'Changed: params.where');
  await expect(page.getByTestId('history-diff-summary')).toContainText('1 → 3: added errors; removed audit; changed views (params.where)');
  await shot(page, (n) => testInfo.outputPath(n), 'history-canvas.png');

  await page.getByTestId('history-view-json').click();
  const json = page.getByTestId('history-json-diff');
  await expect(json.locator('.monaco-diff-editor')).toBeVisible();
  // Side by side: the older revision on the left with its deleted lines, the newer on the right with its inserted ones.
  await expect(json.locator('.editor.original .line-delete, .editor.original .char-delete').first()).toBeAttached();
  await expect(json.locator('.editor.modified .line-insert, .editor.modified .char-insert').first()).toBeAttached();
  await shot(page, (n) => testInfo.outputPath(n), 'history-json.png');

  // Restore revision 1: saved as revision 4, the canvas shows it.
  await page.getByTestId('restore-revision-1').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('notice-info').last()).toContainText('revision 4');
  await expect(list.locator('tbody tr')).toHaveCount(4);
  await page.getByTestId('history-close').click();
  await expect(page.getByTestId('node-audit')).toBeVisible();
  await expect(page.getByTestId('node-errors')).toHaveCount(0);
  await request.delete(`/api/pipelines/${id}`);
});
