import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './fixtures';
import { newEmptyPipeline, selectNode, shot } from './helpers';

/**
 * The checkout template's scoring with its model as ONNX (examples/models, converted by
 * `eddy model to-onnx`) and a JSON challenger; later clicks of the same user are the labels,
 * and drift is measured against the first sessions scored.
 */
const doc = {
  format: 'eddy/pipeline@1',
  name: 'Checkout with a challenger',
  nodes: [
    { id: 'clicks', kind: 'source.generator', params: { scenario: 'clickstream', ratePerSec: 400, seed: 7, keys: 4000, outOfOrderness: '5s', timeScale: 180 }, ui: { x: 0, y: 120 } },
    { id: 'signals', kind: 'map', params: { keep: true, fields: [
      { name: 'is_cart', expr: "CASE WHEN event_type = 'add_to_cart' THEN 1 ELSE 0 END" },
      { name: 'is_checkout', expr: "CASE WHEN event_type = 'checkout' THEN 1 ELSE 0 END" },
      { name: 'value', expr: "CASE WHEN event_type = 'add_to_cart' THEN price * quantity ELSE 0 END" },
    ] }, ui: { x: 240, y: 120 } },
    { id: 'sessions', kind: 'window', params: { type: 'session', gap: '5m', keyBy: ['user_id'], aggregates: [
      { name: 'events', fn: 'count' }, { name: 'carts', fn: 'sum', field: 'is_cart' },
      { name: 'checkouts', fn: 'sum', field: 'is_checkout' }, { name: 'cart_value', fn: 'sum', field: 'value' },
    ] }, ui: { x: 480, y: 120 } },
    { id: 'bought', kind: 'map', params: { fields: [{ name: 'user_id', expr: 'user_id' }, { name: 'ts', expr: 'ts' }, { name: 'bought', expr: 'is_checkout' }] }, ui: { x: 480, y: 320 } },
    { id: 'propensity', kind: 'score', params: {
      features: [{ name: 'events', expr: 'events' }, { name: 'carts', expr: 'carts' }, { name: 'checkouts', expr: 'checkouts' }, { name: 'cart_value', expr: 'cart_value' }],
      model: { type: 'onnx', path: 'models/checkout-propensity.onnx' },
      challenger: { type: 'logistic', weights: { events: 0.08, carts: 0.5, checkouts: 1.3, cart_value: 0.001 }, intercept: -2 },
      output: 'propensity',
      label: { field: 'bought', key: 'user_id', within: '1h' },
      drift: { reference: 'first', records: 60, window: '2s' },
    }, ui: { x: 720, y: 120 } },
    { id: 'scored', kind: 'sink.live', params: {}, ui: { x: 960, y: 60 } },
    { id: 'shadow', kind: 'sink.live', params: {}, ui: { x: 960, y: 200 } },
  ],
  edges: [
    { from: 'clicks', to: 'signals' }, { from: 'signals', to: 'sessions' }, { from: 'sessions', to: 'propensity' },
    { from: 'signals', to: 'bought' }, { from: 'bought', to: 'propensity', toPort: 'labels' },
    { from: 'propensity', to: 'scored' }, { from: 'propensity', fromPort: 'shadow', to: 'shadow' },
  ],
};

test('an ONNX champion with a JSON challenger: the inspector shows agreement, both AUCs once labels arrive, and PSI', async ({ page }, testInfo) => {
  test.setTimeout(150_000);
  const models = join(process.env.E2E_DATA!, 'models');
  mkdirSync(models, { recursive: true });
  copyFileSync(new URL('../examples/models/checkout-propensity.onnx', import.meta.url), join(models, 'checkout-propensity.onnx'));

  await newEmptyPipeline(page);
  await page.getByTestId('import-file').setInputFiles({ name: 'models.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
  await expect(page.getByTestId('pipeline-name')).toHaveValue('Checkout with a challenger');
  await page.getByTestId('deploy').click();
  await expect(page.getByTestId('status-badge')).toHaveText('running');

  await selectNode(page, 'propensity');
  const panel = page.getByTestId('model-panel');
  await expect(panel).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('model-agreement')).toHaveText(/^\d+(\.\d)? %$/, { timeout: 60_000 });
  await expect(page.getByTestId('model-champion')).toHaveText(/^AUC 0\.\d{3} · log-loss \d+\.\d{3}$/, { timeout: 90_000 });
  await expect(page.getByTestId('model-challenger')).toHaveText(/^AUC 0\.\d{3} · /);
  await expect(page.getByTestId('model-drift').locator('tbody tr').first()).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('model-drift')).toContainText('cart_value');
  await panel.scrollIntoViewIfNeeded();
  await shot(page, (n) => testInfo.outputPath(n), 'model-panel.png');
  await page.getByTestId('stop').click();
  await expect(page.getByTestId('status-badge')).toHaveText('stopped');
});
