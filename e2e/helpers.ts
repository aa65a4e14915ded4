import { expect, type Locator, type Page } from '@playwright/test';

/** Drags a palette kind onto the canvas at a point relative to the canvas' top-left corner (HTML5 drag and drop). */
export async function dropKind(page: Page, kind: string, x: number, y: number): Promise<void> {
  const before = await page.locator('.react-flow__node').count();
  await page.getByTestId(`palette-${kind}`).dragTo(page.getByTestId('canvas'), { targetPosition: { x, y } });
  await expect(page.locator('.react-flow__node')).toHaveCount(before + 1);
}

/** Connects an output handle to an input handle with the mouse, as a person would. */
export async function connect(page: Page, from: string, to: string, fromPort = 'out', toPort = 'in'): Promise<void> {
  const source = page.getByTestId(`handle-out-${from}-${fromPort}`);
  const target = page.getByTestId(`handle-in-${to}-${toPort}`);
  const a = await center(source);
  const b = await center(target);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
}

async function center(l: Locator) {
  const box = (await l.boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Replaces the text of a Monaco expression editor (insertText: `type` drops spaces in Monaco). */
export async function setExpression(page: Page, testId: string, text: string): Promise<void> {
  const editor = page.getByTestId(testId).locator('.monaco-editor');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  await expect(page.getByTestId(testId).locator('.view-lines')).toHaveText(text.replace(/ /g, '\u00a0'));
}

export async function selectNode(page: Page, id: string): Promise<void> {
  await page.getByTestId(`node-${id}`).click();
  await expect(page.getByTestId('node-id-input')).toHaveValue(id);
}

/** A screenshot kept as a test artifact; with UPDATE_SCREENSHOTS=1 also as docs/img/<name> for the docs. */
export async function shot(page: Page, outputPath: (name: string) => string, name: string): Promise<void> {
  await page.screenshot({ path: outputPath(name) });
  if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: `docs/img/${name}` });
}

const appears = (locator: Locator, timeout = 1500) => locator.waitFor({ timeout }).then(() => true, () => false);

/**
 * After a template's "Deploy now": the gallery may ask (a pipeline of this template exists, or
 * others run) — a new one, the others stopped; then unsaved edits of the open pipeline are discarded.
 */
export async function answerTemplateQuestions(page: Page): Promise<void> {
  if (await appears(page.getByTestId('confirm-dialog'))) {
    const fresh = page.getByTestId('confirm-alternative');
    await ((await fresh.isVisible()) ? fresh : page.getByTestId('confirm-ok')).click();
  }
  const discard = page.getByTestId('ask-discard');
  if (await appears(discard)) await discard.click();
}

/** A new, empty pipeline (the suite's fixture fails the test on any page error). */
export async function newEmptyPipeline(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('palette-filter')).toBeVisible();
  // The app opens the newest pipeline as it starts: wait for it, so New is not overtaken by it.
  await expect(page.getByTestId('pipeline-name')).not.toHaveValue('Untitled pipeline');
  await page.getByTestId('pipelines-menu').click();
  await page.getByTestId('new-pipeline').click();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
}
