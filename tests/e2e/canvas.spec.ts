import { expect, test } from '@playwright/test';
import { dragWire, inspect, openLab } from './helpers';

test('opens the starter pipeline, running left to right in the worker', async ({ page }) => {
  await openLab(page);
  for (const id of ['text', 'clean', 'pretokenize']) {
    await expect(page.getByTestId(`node-${id}`).getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/);
  }
  await expect(page.getByTestId('run-status')).toContainText('Browser');
});

test('typing in the Text node updates the pieces in the Pretokenize inspector', async ({ page }) => {
  await openLab(page);
  await inspect(page, 'pretokenize');
  await expect(page.getByTestId('inspector-question')).toHaveText('What are the pieces BPE works on? What is Ġ?');
  const input = page.getByTestId('node-text').getByTestId('text-input');
  await input.fill('');
  await input.pressSequentially('Hello world, ଜଣେ');
  const pieces = page.getByTestId('inspector').getByTestId('piece');
  await expect(pieces.locator('span').first()).toHaveText('Hello');
  await expect(pieces).toHaveCount(5);
  // Read as text (the leading space as ·), or as the tokenizer stores it (Ġ) with the header's switch.
  await expect(pieces.nth(1)).toContainText('·world');
  await expect(pieces.nth(1)).toContainText('5–11');
  await page.getByTestId('stored-form').check();
  await expect(pieces.nth(1)).toContainText('Ġworld');
  await page.getByTestId('stored-form').uncheck();
  await expect(pieces.nth(3)).toContainText('·ଜଣ'); // GPT-2's split leaves the vowel sign େ a piece of its own
  await expect(page.getByTestId('bytelevel-explainer')).toContainText('0x20');
});

test('a long text\'s pieces are drawn as the list scrolls, each with its own offsets', async ({ page }) => {
  await openLab(page);
  await inspect(page, 'pretokenize');
  const input = page.getByTestId('node-text').getByTestId('text-input');
  await input.fill('word '.repeat(3000).trimEnd());
  const list = page.getByTestId('inspector').getByTestId('pieces');
  await expect(list).toHaveAttribute('data-count', '3000');
  await expect(page.getByTestId('inspector')).toContainText('3,000 pieces, 2 distinct');
  await expect(page.getByTestId('inspector')).toContainText('Showing the first 2,000 pieces.');
  // Only the chips near the visible part of the list are in the page.
  const chips = list.getByTestId('piece');
  await expect(chips.first()).toContainText('0–4');
  expect(await chips.count()).toBeLessThan(400);
  // Scrolled to its end, the list draws its last pieces: the 2,000th is " word" at 9994–9999. (Blocks
  // are measured as they are drawn, so the end may move once: scroll again until it holds.)
  const toTheEnd = async (offsets: string) =>
    expect(async () => {
      await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
      await expect(chips.last()).toContainText(offsets, { timeout: 1000 });
    }).toPass();
  await toTheEnd('9994–9999');
  await expect(chips.last()).toContainText('·word');
  // Typing at the start moves every later piece by one character.
  await input.evaluate((ta: HTMLTextAreaElement) => {
    ta.focus();
    ta.setSelectionRange(0, 0);
  });
  await page.keyboard.type('x');
  await expect(list).toHaveAttribute('data-text-length', '15000');
  await toTheEnd('9995–10000');
});

test('a node dragged from the palette can be wired into the pipeline', async ({ page }) => {
  await openLab(page);
  const before = await page.locator('.react-flow__node').count();
  await page.getByTestId('palette-pretokenize').dragTo(page.locator('.react-flow__pane'), { targetPosition: { x: 500, y: 620 } });
  await expect(page.locator('.react-flow__node')).toHaveCount(before + 1);
  const added = page.locator('.react-flow__node-pretokenize').last();
  const addedId = await added.getAttribute('data-id');
  expect(addedId).toMatch(/^pretokenize-/);
  // Unconnected, it says which input to connect, in a neutral state (a fresh node has not failed),
  // and highlights that port.
  await expect(page.getByTestId(`node-${addedId}`).getByTestId('node-needs-input')).toContainText('needs text');
  await expect(page.getByTestId(`node-${addedId}`).getByTestId('node-status')).toHaveAttribute('data-status', 'needs-input');
  await expect(page.getByTestId(`node-${addedId}`).getByTestId('node-status')).toHaveText('needs input');
  await expect(page.getByTestId(`node-${addedId}`).getByTestId('node-error')).toHaveCount(0);
  await expect(page.getByTestId(`handle-${addedId}-in-text`)).toHaveAttribute('data-needed', 'true');
  const wire = await dragWire(page, page.getByTestId('handle-clean-out-text'), page.getByTestId(`handle-${addedId}-in-text`));
  await wire.release();
  await expect(page.getByTestId(`node-${addedId}`).getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/);
  await expect(page.locator('.react-flow__edge')).toHaveCount(3);
});

test('a connection between incompatible ports is refused with the reason', async ({ page }) => {
  await openLab(page);
  await page.getByTestId('palette-clean').click();
  const added = page.locator('.react-flow__node-clean').last();
  const addedId = await added.getAttribute('data-id');
  const wire = await dragWire(page, page.getByTestId('handle-pretokenize-out-pretokens'), page.getByTestId(`handle-${addedId}-in-text`));
  await expect(page.getByTestId('connection-hint')).toHaveText('Clean needs text here, this port gives pre-tokens.');
  await wire.release();
  await expect(page.getByTestId('toast')).toContainText('Clean needs text here, this port gives pre-tokens.');
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);
});

test('a wire from a node back into itself is refused with its own reason', async ({ page }) => {
  await openLab(page);
  const wire = await dragWire(page, page.getByTestId('handle-clean-out-text'), page.getByTestId('handle-clean-in-text'));
  await expect(page.getByTestId('connection-hint')).toHaveText('A node cannot feed itself: its output would flow back into its own input.');
  await wire.release();
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);
});

test('deleting a node can be undone, and the pipeline runs again', async ({ page }) => {
  await openLab(page);
  await inspect(page, 'clean');
  await page.keyboard.press('Delete');
  // The starter's lesson has a step about Clean: deleting the node asks first.
  await page.getByTestId('confirm-yes').click();
  await expect(page.getByTestId('node-clean')).toHaveCount(0);
  await expect(page.getByTestId('node-pretokenize').getByTestId('node-needs-input')).toContainText('needs text');
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('node-clean')).toHaveCount(1);
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);
  await expect(page.getByTestId('node-pretokenize').getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/);
  await page.keyboard.press('Control+Shift+z');
  await expect(page.getByTestId('node-clean')).toHaveCount(0);
});

test('an error shows on its node and blocks only what is downstream', async ({ page }) => {
  await openLab(page);
  await inspect(page, 'clean');
  await page.getByLabel(/Replace pattern/).fill('(');
  await expect(page.getByTestId('node-clean').getByTestId('node-error')).toContainText('not a valid regular expression');
  await expect(page.getByTestId('node-pretokenize').getByTestId('node-status')).toHaveAttribute('data-status', 'blocked');
  await expect(page.getByTestId('node-text').getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/);
});

test('the Clean inspector shows which code points normalisation changed', async ({ page }) => {
  await openLab(page);
  await page.getByTestId('node-text').getByLabel('Sample text').selectOption('emoji');
  await inspect(page, 'clean');
  await expect(page.getByTestId('clean-changes')).toContainText('U+0065 U+0301');
  await expect(page.getByTestId('clean-changes')).toContainText('U+00E9');
});

test('copy and paste duplicates the selection; the shortcuts are listed in help', async ({ page }) => {
  await openLab(page);
  await inspect(page, 'clean');
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(page.locator('.react-flow__node-clean')).toHaveCount(2);
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toContainText('Undo');
});

test('Stop ends a long run at once (the worker is replaced) and an edit runs the graph again', async ({ page }) => {
  await page.goto('/?template=finetune');
  await expect(page.getByTestId('run-status')).toContainText('Running in the browser', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByTestId('toast')).toContainText('Stopped');
  await expect(page.getByTestId('run-status')).not.toContainText('Running');
  await expect(page.locator('[data-status="running"]')).toHaveCount(0);
  // The graph still works: an edit re-runs what it touches.
  await page.getByTestId('node-text').getByTestId('text-input').fill('A fresh start');
  await expect(page.getByTestId('node-text').getByTestId('node-status')).toHaveAttribute('data-status', 'done');
});

test('on a 1280 px and a 1024 px screen the header wraps rather than hiding the Browser/Server switch', async ({ page }) => {
  for (const width of [1280, 1024]) {
    await page.setViewportSize({ width, height: 800 });
    await openLab(page);
    for (const id of ['run-on-browser', 'run-on-server', 'open-templates', 'new-blank-graph']) {
      const box = (await page.getByTestId(id).boundingBox())!;
      expect(box.x, `${id} at ${width} px`).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, `${id} at ${width} px`).toBeLessThanOrEqual(width);
      // One line of text: no label wrapped inside its button.
      expect(box.height, `${id} at ${width} px`).toBeLessThan(40);
    }
    await expect(page.getByTestId('run-on-server')).toHaveText('Server');
  }
});

test('from the keyboard: a node reached with Tab shows a focus ring, Enter opens it, and Connect to… wires it', async ({ page }) => {
  await openLab(page);
  await page.getByTestId('palette-pretokenize').focus();
  await page.keyboard.press('Enter'); // the palette's button adds the node
  const added = page.locator('.react-flow__node-pretokenize').last();
  const addedId = await added.getAttribute('data-id');
  expect(addedId).toMatch(/^pretokenize-/);
  await expect(page.getByTestId(`node-${addedId}`).getByTestId('node-status')).toHaveAttribute('data-status', 'needs-input');

  // Tab onto the Clean node (focus the one before it, then Tab, so the focus comes from the keyboard).
  const clean = page.locator('.react-flow__node[data-id="clean"]');
  await clean.focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  await expect(clean).toBeFocused();
  const ring = await clean.evaluate((el) => ({ visible: el.matches(':focus-visible'), style: getComputedStyle(el).outlineStyle, width: getComputedStyle(el).outlineWidth }));
  expect(ring).toEqual({ visible: true, style: 'solid', width: '3px' });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('inspector')).toHaveAttribute('aria-label', 'Clean inspector');

  // Connect to…: only the inputs that take Clean's text are offered; the new node's is one.
  const target = page.getByTestId('connect-target');
  await expect(target.locator('option')).not.toHaveCount(0);
  for (const label of await target.locator('option').allTextContents()) expect(label).toMatch(/^clean text → .* \(.+\): text$/);
  await target.selectOption({ label: `clean text → Pretokenize (${addedId}): text` });
  await page.getByTestId('connect-button').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('connect-message')).toHaveText(`Connected to Pretokenize (${addedId}): text.`);
  await expect(page.locator('.react-flow__edge')).toHaveCount(3);
  await expect(page.getByTestId(`node-${addedId}`).getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/);
});

test('a node added from the palette lands in free, visible canvas space, off the Note and every card', async ({ page }) => {
  await page.goto('/?template=compare');
  // Every card has its result, so none grows after the new node is placed beside it.
  const statuses = page.getByTestId('node-status');
  await expect.poll(() => statuses.evaluateAll((els) => els.length > 0 && els.every((el) => /done|cached/.test(el.getAttribute('data-status') ?? '')))).toBe(true);
  const pane = (await page.locator('.react-flow').boundingBox())!;
  const boxes = () =>
    page.locator('.react-flow__node').evaluateAll((els) => els.map((el) => ({ id: el.getAttribute('data-id') ?? '', ...(el.getBoundingClientRect().toJSON() as DOMRect) })));
  for (const kind of ['clean', 'pretokenize']) {
    const before = await page.locator('.react-flow__node').count();
    await page.getByTestId(`palette-${kind}`).click();
    await expect(page.locator('.react-flow__node')).toHaveCount(before + 1);
    const id = (await page.locator(`.react-flow__node-${kind}`).last().getAttribute('data-id'))!;
    // In view: where there was room, or below the graph with the camera stepped back to show it.
    await expect
      .poll(async () => {
        const a = (await boxes()).find((b) => b.id === id)!;
        return a.left >= pane.x && a.top >= pane.y && a.right <= pane.x + pane.width && a.bottom <= pane.y + pane.height;
      })
      .toBe(true);
    const all = await boxes();
    const a = all.find((b) => b.id === id)!;
    for (const b of all) {
      if (b.id === a.id) continue;
      const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      expect(overlap, `${a.id} lands on ${b.id}`).toBe(false);
    }
  }
});
