// A server started with a token: the designer asks for it, then works (API and live socket).
import { test, expect } from './fixtures';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const port = Number(process.env.E2E_PORT ?? 18090) + 1;
const base = `http://127.0.0.1:${port}`;
const TOKEN = 'e2e-token-0123456789abcdef';
let server: ChildProcess;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eddy-e2e-token-'));
  server = spawn('node', ['apps/server/dist/main.js'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', EDDY_DATA: dataDir, EDDY_TOKEN: TOKEN }, stdio: 'ignore',
  });
  await expect.poll(async () => (await fetch(`${base}/api/health`).catch(() => null))?.status, { timeout: 60_000 }).toBe(200);
});
// The 401s before the token is given are the point of these tests.
test.use({ allowedErrors: [/status of 401/] });
test.afterAll(() => {
  server.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the designer asks for the token, refuses a wrong one, and works with the right one', async ({ page }) => {
  await page.goto(base);
  await expect(page.getByTestId('token-dialog')).toBeVisible();
  await page.getByTestId('token-input').fill('not-the-token-at-all');
  await page.getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('token-error')).toContainText("not this server's token");

  await page.getByTestId('token-input').fill(TOKEN);
  await page.getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('token-dialog')).toHaveCount(0);
  await expect(page.locator('.react-flow__node')).toHaveCount(4); // the demo pipeline

  // The socket handshake carries the cookie: status and rows arrive live.
  await page.getByTestId('deploy').click();
  await expect(page.getByTestId('status-badge')).toHaveText('running');
  await expect(page.getByTestId('live-rows').locator('tbody tr').first()).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('stop').click();
  await expect(page.getByTestId('status-badge')).toHaveText('stopped');
});

test('opening the printed ?token= URL needs no dialog and leaves a clean address', async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${base}/?token=${TOKEN}`);
  // No token left in the address (the app then names the pipeline it opened: /p/<id>).
  await expect(page).toHaveURL(new RegExp(`^${base}/(p/[^/?]+)?$`));
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  await expect(page.getByTestId('token-dialog')).toHaveCount(0);
});
