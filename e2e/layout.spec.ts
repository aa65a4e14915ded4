import { test, expect, type Page } from './fixtures';
import { answerTemplateQuestions } from './helpers';

const TEMPLATES = ['checkout-personalisation', 'streaming-etl', 'event-triggered-campaign', 'ad-analytics', 'iot-anomaly', 'page-views'];

type Box = { id: string; x: number; y: number; width: number; height: number };

/** The node boxes on screen, and every pair that overlaps. */
async function overlaps(page: Page): Promise<string[]> {
  const boxes: Box[] = await page.locator('.react-flow__node').evaluateAll((els) => els.map((el) => {
    const r = el.getBoundingClientRect();
    return { id: el.getAttribute('data-id')!, x: r.x, y: r.y, width: r.width, height: r.height };
  }));
  const hits: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) hits.push(`${a.id} × ${b.id}`);
    }
  }
  return hits;
}

/** Figures drawn outside their node's box (clipped or spilling onto a neighbour). */
async function spilled(page: Page): Promise<string[]> {
  return page.locator('.eddy-node').evaluateAll((nodes) => nodes.flatMap((n) => {
    const box = n.getBoundingClientRect();
    return [...n.querySelectorAll('.node-figures span')].filter((s) => s.getBoundingClientRect().right > box.right + 0.5)
      .map((s) => `${n.getAttribute('data-testid')}: ${s.textContent}`);
  }));
}

test('while a template runs, no two nodes overlap and every figure stays inside its node (also after auto-layout)', async ({ page }) => {
  page.on('dialog', (d) => void d.accept());
  await page.goto('/');
  for (const id of TEMPLATES) {
    await page.getByTestId('templates').click();
    await page.getByTestId(`template-deploy-${id}`).click();
    await answerTemplateQuestions(page); // e.g. the auto-layout before was not saved
    await expect(page.getByTestId('status-badge')).toHaveText('running');
    // Wait for the figures of every node: that is when nodes used to widen.
    const count = await page.locator('.react-flow__node').count();
    await expect(page.locator('[data-testid^="node-rate-"]')).toHaveCount(count, { timeout: 30_000 });
    await page.waitForTimeout(1500); // a few more ticks: keys and lags appear after the first records
    expect(await overlaps(page), `overlapping nodes in ${id}`).toEqual([]);
    expect(await spilled(page), `figures outside their node in ${id}`).toEqual([]);
    if (id === 'checkout-personalisation') {
      await page.getByTestId('auto-layout').click();
      await expect.poll(() => overlaps(page), { message: 'after auto-layout' }).toEqual([]);
    }
    await page.getByTestId('stop').click();
    await expect(page.getByTestId('status-badge')).toHaveText('stopped');
  }
});
