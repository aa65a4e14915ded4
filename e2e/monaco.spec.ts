import { test, expect } from './fixtures';

// Monaco's contributions need their services: switching editors must not throw (ICodeLensCache, treeViewsDndService).
test('switching between the Code and Flink SQL tabs raises no page error', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('templates').click();
  await page.getByTestId('template-open-page-views').click();
  await expect(page.getByTestId('node-clicks')).toBeVisible();
  for (let i = 0; i < 3; i++) {
    await page.getByTestId('tab-code').click();
    await expect(page.getByTestId('code-view').locator('.view-lines')).toContainText('eddy/pipeline@2');
    await page.getByTestId('tab-flink-sql').click();
    await expect(page.getByTestId('flink-view').locator('.view-lines')).toContainText("SET 'execution.checkpointing.interval'");
  }
  // Editing in the code view and in an expression editor exercises the editor's contributions too.
  await page.getByTestId('tab-code').click();
  await page.getByTestId('code-view').locator('.monaco-editor').click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.press('Enter');
  await page.getByTestId('node-page_views').click();
  await expect(page.getByTestId('param-where')).toBeVisible();
  await page.getByTestId('param-where').locator('.monaco-editor').click();
  await page.keyboard.press('End');
  await page.getByTestId('tab-flink-sql').click();
  await expect(page.getByTestId('flink-view').locator('.view-lines')).toContainText("SET 'execution.checkpointing.interval'");
});
