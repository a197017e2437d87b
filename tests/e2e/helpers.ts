import { expect, type Locator, type Page } from '@playwright/test';

export async function openLab(page: Page) {
  await page.goto('/');
  await expect(page.getByTestId('node-pretokenize').getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/);
}

async function center(locator: Locator) {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element has no box');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drag a wire from one port to another with real pointer events, as a user does. */
export async function dragWire(page: Page, from: Locator, to: Locator) {
  const a = await center(from);
  const b = await center(to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 8 });
  await page.mouse.move(b.x, b.y, { steps: 8 });
  return {
    release: () => page.mouse.up(),
  };
}

export async function inspect(page: Page, nodeId: string) {
  await page.getByTestId(`node-${nodeId}`).locator('span.font-semibold').first().click();
  await expect(page.getByTestId('inspector')).toBeVisible();
}
