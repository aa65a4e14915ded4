import { test, expect } from './fixtures';
import { answerTemplateQuestions, newEmptyPipeline, selectNode, setExpression, shot } from './helpers';

/** Opens a template from the gallery (a new pipeline with its stored "sample" case) and the drawer's Tests tab. */
async function openTemplate(page: import('./fixtures').Page, id: string, nodes: number): Promise<void> {
  await newEmptyPipeline(page);
  await page.getByTestId('templates').click();
  await page.getByTestId(`template-open-${id}`).click();
  await answerTemplateQuestions(page);
  await expect(page.locator('.react-flow__node')).toHaveCount(nodes);
  await page.getByTestId('tab-tests').click();
}

test('Tests tab: the template\'s sample case passes; a changed route fails it with a red badge on the sink and its rows in the tab', async ({ page }, testInfo) => {
  await openTemplate(page, 'checkout-personalisation', 8);
  // The stored case, in numbers.
  await expect(page.getByTestId('tests-case-sample')).toContainText('2026-12-03 00:00 UTC');
  await expect(page.getByTestId('tests-inputs-sample')).toHaveText('clicks 150');
  await expect(page.getByTestId('tests-expected-sample')).toHaveText('discounts 1 · shipping 9 · no_offer 115');

  await page.getByTestId('tests-run').click();
  await expect(page.getByTestId('tests-verdict-sample')).toHaveText('✓');
  await expect(page.getByTestId('tests-summary')).toHaveText('The case passed');
  for (const sink of ['discounts', 'shipping', 'no_offer']) await expect(page.getByTestId(`tests-badge-${sink}`)).toHaveText('✓');

  // Offer the discount to many more sessions: an edit that changes what runs makes the results stale.
  await selectNode(page, 'offers');
  await setExpression(page, 'param-routes-0-where', 'propensity >= 0.3 AND checkouts = 0');
  await expect(page.locator('[data-testid^="tests-badge-"]')).toHaveCount(0);
  await expect(page.getByTestId('tests-summary')).toHaveCount(0);

  // The API runs the saved pipeline: the tab asks to save first.
  await page.getByTestId('tab-tests').click();
  await expect(page.getByTestId('tests-unsaved')).toBeVisible();
  await page.getByTestId('tests-run').click();
  await expect(page.getByTestId('save-first-dialog')).toContainText('not saved');
  await page.getByTestId('save-first-save').click();
  await expect(page.getByTestId('tests-unsaved')).toHaveCount(0);
  await expect(page.getByTestId('tests-verdict-sample')).toHaveText('✗');
  await expect(page.getByTestId('tests-summary')).toHaveText('1 of 1 case failed');
  await expect(page.getByTestId('tab-tests')).toHaveText('Tests (✗ 1)');

  // The discounts sink now receives rows the case did not expect: a red badge with the counts.
  const badge = page.getByTestId('tests-badge-discounts');
  await expect(badge).toHaveText(/^✗ \d+ unexpected$/);
  await expect(badge).toHaveClass(/failed/);
  const unexpected = Number(/(\d+) unexpected/.exec((await badge.textContent())!)![1]);
  expect(unexpected).toBeGreaterThan(0);

  // Its click opens the Tests tab at that sink's diff: the + rows as a records table.
  await page.getByTestId('tab-code').click();
  // The sinks sit at the canvas's right edge, beside the inspector: fit the view so the badge is in it.
  await page.locator('.react-flow__controls-fitview').click();
  await badge.click();
  await expect(page.getByTestId('tests-panel')).toBeVisible();
  await expect(page.getByTestId('tests-sink-diff-discounts')).toHaveClass(/active/);
  await expect(page.getByTestId('tests-sink-diff-discounts')).toContainText(`0 row(s) missing, ${unexpected} not expected`);
  const rows = page.getByTestId('tests-unexpected-discounts');
  await expect(rows.locator('tbody tr')).toHaveCount(Math.min(unexpected, 20));
  expect(await rows.locator('thead th').allTextContents()).toContain('propensity');
  await expect(page.getByTestId('tests-missing-discounts')).toHaveCount(0);
  await shot(page, (n) => testInfo.outputPath(n), 'tests-panel.png');
});

test('Record case stores a new case as a new revision, and the canvas loads it', async ({ page }) => {
  await openTemplate(page, 'page-views', 4);
  await expect(page.getByTestId('tests-case-sample')).toBeVisible();
  await page.getByTestId('tests-record').click();
  await expect(page.getByTestId('prompt-input')).toHaveValue('recorded');
  await page.getByTestId('prompt-input').fill('one-second');
  await page.getByTestId('prompt-ok').click();
  await page.getByTestId('prompt-input').fill('0.1');
  await page.getByTestId('prompt-ok').click();
  await expect(page.getByTestId('prompt-error')).toHaveText('A number of seconds from 0.5 to 60');
  await page.getByTestId('prompt-input').fill('1');
  await page.getByTestId('prompt-ok').click();
  await expect(page.getByTestId('tests-case-one-second')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('tests-inputs-one-second')).toHaveText(/^clicks [\d,]+$/);
  await expect(page.getByTestId('tests-case-sample')).toBeVisible();
  await expect(page.getByTestId('tests-unsaved')).toHaveCount(0);

  // Both cases run against the new revision (its own recording passes).
  await page.getByTestId('tests-run').click();
  await expect(page.getByTestId('tests-verdict-one-second')).toHaveText('✓');
  await expect(page.getByTestId('tests-verdict-sample')).toHaveText('✓');
  await expect(page.getByTestId('tests-badge-live')).toHaveText('✓');
});
