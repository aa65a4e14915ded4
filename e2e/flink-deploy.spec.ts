import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test, expect, type Page } from './fixtures';
import { shot } from './helpers';

// Deploying to Flink from the designer. The server finds the local Flink that `eddy flink start`
// runs in its data folder (started here, on its own ports; the first start fetches the jars).
const data = process.env.E2E_DATA!;
const eddy = (...args: string[]) => spawnSync('node', ['apps/server/bin/eddy.js', ...args], { encoding: 'utf8' });
const ports = { rest: 0, gateway: 0, rpc: 0 };

/** A port free now (other local Flinks may hold fixed ones). */
const freePort = () => new Promise<number>((resolve, reject) => {
  const srv = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
    const { port } = srv.address() as { port: number };
    srv.close(() => resolve(port));
  });
});

async function openPipeline(page: Page, id: string, firstNode: string) {
  await page.goto('/');
  await page.getByTestId('pipelines-menu').click();
  await page.getByTestId(`pipeline-item-${id}`).locator('button.pipeline-open').click();
  await expect(page.getByTestId(`node-${firstNode}`)).toBeVisible();
}

test('without a Flink gateway the Deploy menu offers Flink disabled, with the reason', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('deploy-menu').click();
  await expect(page.getByTestId('deploy-target-embedded')).toBeEnabled();
  await expect(page.getByTestId('deploy-target-flink')).toBeDisabled();
  await expect(page.getByTestId('flink-target-note')).toContainText('No Flink SQL Gateway is configured');
});

test.describe('on a local Flink', () => {
  test.beforeAll(async () => {
    test.setTimeout(900_000);
    Object.assign(ports, { rest: await freePort(), gateway: await freePort(), rpc: await freePort() });
    const started = eddy('flink', 'start', '--data', data, '--rest-port', String(ports.rest), '--gateway-port', String(ports.gateway), '--rpc-port', String(ports.rpc));
    expect(started.status, started.stderr).toBe(0);
    // The ad-analytics events, written once by Eddy's generator into the server's data folder.
    const gen = JSON.parse(readFileSync('examples/flink/ad-events.json', 'utf8'));
    gen.nodes[1].params.path = join(data, 'ad-events.jsonl');
    writeFileSync(join(data, 'ad-events-gen.json'), JSON.stringify(gen));
    const written = eddy('run', join(data, 'ad-events-gen.json'), '--quiet');
    expect(written.status, written.stderr).toBe(0);
  });

  test.afterAll(async () => {
    test.setTimeout(60_000);
    eddy('flink', 'stop', '--data', data);
  });

  test('ad analytics deployed from the Deploy menu: figures from Flink on its nodes, the Flink job link, rows in its sink', async ({ page, request }, testInfo) => {
    test.setTimeout(180_000);
    const doc = JSON.parse(readFileSync('examples/flink/ad-analytics-file.json', 'utf8'));
    const id = ((await (await request.post('/api/pipelines', { data: doc })).json()) as { id: string }).id;
    await openPipeline(page, id, 'ads');

    await page.getByTestId('deploy-menu').click();
    await expect(page.getByTestId('flink-target-note')).toContainText(`SQL Gateway at http://127.0.0.1:${ports.gateway}`);
    await page.getByTestId('deploy-target-flink').click();

    const link = page.getByTestId('flink-job-link');
    await expect(link).toBeVisible({ timeout: 60_000 });
    await expect(link).toHaveAttribute('href', new RegExp(`^http://127\\.0\\.0\\.1:${ports.rest}/#/job/running/[0-9a-f]{32}/overview$`));
    // A bounded file: the job finishes; the last figures stay on the nodes.
    await expect(page.getByTestId('status-badge')).toHaveText('finished', { timeout: 120_000 });
    await expect(page.getByTestId('node-records-ads')).toContainText('in 50k');
    for (const node of ['views', 'campaign', 'per_campaign', 'out']) await expect(page.getByTestId(`node-flink-${node}`)).toBeVisible();
    // The filter and the lookup run in the source's Flink vertex: its figures, marked shared.
    await expect(page.getByTestId('node-shared-views')).toBeVisible();
    await shot(page, (n) => testInfo.outputPath(n), 'flink-deploy.png');

    const out = join(data, 'out', 'ad-analytics');
    const parts = readdirSync(out, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && !e.name.startsWith('.'));
    const rows = parts.flatMap((e) => readFileSync(join(e.parentPath, e.name), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { views: number }));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.views > 0)).toBe(true);
  });

  test('Stop takes a Flink savepoint and says where it went', async ({ page, request }) => {
    test.setTimeout(180_000);
    const doc = {
      format: 'eddy/pipeline@1', name: 'Unbounded on Flink',
      nodes: [
        { id: 'sensors', kind: 'source.generator', params: { scenario: 'iot', ratePerSec: 100, limit: 0 }, ui: { x: 0, y: 100 } },
        { id: 'log', kind: 'sink.log', params: {}, ui: { x: 300, y: 100 } },
      ],
      edges: [{ from: 'sensors', to: 'log' }],
    };
    const id = ((await (await request.post('/api/pipelines', { data: doc })).json()) as { id: string }).id;
    await openPipeline(page, id, 'sensors');
    await page.getByTestId('deploy-menu').click();
    await page.getByTestId('deploy-target-flink').click();
    await expect(page.getByTestId('status-badge')).toHaveText('running', { timeout: 60_000 });
    await expect(page.getByTestId('node-flink-sensors')).toBeVisible({ timeout: 30_000 });
    await page.getByTestId('stop').click();
    await expect(page.getByTestId('notice-info').filter({ hasText: 'Stopped the Flink job with a savepoint' })).toContainText('savepoint-', { timeout: 60_000 });
    await expect(page.getByTestId('status-badge')).toHaveText('stopped');
    await expect(page.getByTestId('flink-savepoint')).toContainText('savepoint-');
  });
});
