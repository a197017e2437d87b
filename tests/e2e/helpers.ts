import { expect, type Locator, type Page } from '@playwright/test';
import LZString from 'lz-string';

export async function openLab(page: Page) {
  await page.goto('/');
  await expect(page.getByTestId('node-pretokenize').getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/);
}

async function center(locator: Locator) {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element has no box');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/**
 * A port's centre once it has stood still for a few frames: a card that is still loading grows
 * when its result arrives, and a press aimed at where its port was lands on the card and drags it.
 */
async function stillCenter(locator: Locator) {
  await expect
    .poll(() =>
      locator.evaluate(async (el) => {
        const frame = () => new Promise((done) => requestAnimationFrame(done));
        const at = () => JSON.stringify(el.getBoundingClientRect());
        const before = at();
        for (let i = 0; i < 5; i++) await frame();
        return at() === before;
      }),
    )
    .toBe(true);
  return center(locator);
}

/** Drag a wire from one port to another with real pointer events, as a user does. */
export async function dragWire(page: Page, from: Locator, to: Locator) {
  const a = await stillCenter(from);
  const b = await stillCenter(to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 8 });
  await page.mouse.move(b.x, b.y, { steps: 8 });
  return {
    release: () => page.mouse.up(),
  };
}

/**
 * Opens a node's inspector by clicking its title, as a user does. The click is tried again while
 * the inspector shows another node: on a busy machine a card can still be moving (the canvas fits
 * the view) when the click lands, and it lands on the pane.
 */
export async function inspect(page: Page, nodeId: string) {
  await expect(async () => {
    await page.getByTestId(`node-${nodeId}`).locator('span.font-semibold').first().click();
    await expect(page.getByTestId('inspector')).toHaveAttribute('data-node-id', nodeId, { timeout: 2_000 });
  }).toPass();
}

/**
 * A shared-graph link to Text → GPT-2 tokenizer → IDs → a model node (`transformer` or
 * `generate`), with node ids text, tok, ids and the model's kind.
 */
export function modelGraphLink(title: string, text: string, model: { type: 'transformer' | 'generate'; params: Record<string, unknown> }): string {
  const graph = {
    schemaVersion: 1,
    title,
    nodes: [
      { id: 'text', type: 'text', params: { text, origin: 'typed' }, position: { x: 0, y: 0 } },
      { id: 'tok', type: 'pretrained', params: { model: 'gpt2' }, position: { x: 360, y: 0 } },
      { id: 'ids', type: 'ids', params: {}, position: { x: 700, y: 0 } },
      { id: model.type, type: model.type, params: model.params, position: { x: 1040, y: 0 } },
    ],
    edges: [
      { id: 'a', source: 'text', sourcePort: 'text', target: 'tok', targetPort: 'text' },
      { id: 'b', source: 'tok', sourcePort: 'tokens', target: 'ids', targetPort: 'tokens' },
      { id: 'c', source: 'tok', sourcePort: 'tokenizer', target: 'ids', targetPort: 'tokenizer' },
      { id: 'd', source: 'ids', sourcePort: 'ids', target: model.type, targetPort: 'ids' },
    ],
  };
  return `/#g=${LZString.compressToEncodedURIComponent(JSON.stringify(graph))}`;
}

/** The top-5 rows the Transformer inspector shows for the last position: id and probability. */
export async function shownTop5(page: Page, timeout?: number) {
  const rows = page.getByTestId('topk-last').getByTestId('topk-row');
  await expect(rows).toHaveCount(5, timeout === undefined ? undefined : { timeout });
  return rows.evaluateAll((els) =>
    els.map((el) => ({
      id: Number(el.querySelector('[data-testid="topk-id"]')!.textContent),
      prob: Number(el.querySelector('[data-testid="topk-prob"]')!.getAttribute('data-prob')),
    })),
  );
}
