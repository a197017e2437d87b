import { expect, test, type Page } from '@playwright/test';
import LZString from 'lz-string';
import { dragWire } from './helpers';

/**
 * What a new user tripped over, one test per stumble, each asserting what the user sees
 * (the every-template tour is tests/e2e/templates-tour.spec.ts).
 */
test.use({ viewport: { width: 1600, height: 1000 } });

const status = (page: Page, id: string) => page.getByTestId(`node-${id}`).getByTestId('node-status');
const ready = (page: Page, id: string) => expect(status(page, id)).toHaveAttribute('data-status', /done|cached/);
const nodes = (page: Page) => page.locator('.react-flow__node');
/** A node's title on its card (the inspector shows it too). */
const cardTitle = (page: Page, id: string) => page.getByTestId(`node-${id}`).getByTestId(`node-title-${id}`);

async function openTemplate(page: Page, id: string) {
  await page.getByTestId('open-templates').click();
  await page.getByRole('dialog', { name: 'Templates' }).getByTestId(`template-${id}`).click();
}

test('clearing a template asks before its lesson steps go, undo brings them back, and the canvas forgets the template', async ({ page }) => {
  await page.goto('/?template=pieces');
  await ready(page, 'pretokenize');
  const count = await nodes(page).count();
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('confirm-dialog')).toHaveText(new RegExp(`Delete ${count} nodes and the 3 lesson steps about them\\?`));
  await page.getByTestId('confirm-no').click();
  await expect(nodes(page)).toHaveCount(count);

  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  await page.getByTestId('confirm-yes').click();
  await expect(nodes(page)).toHaveCount(0);
  await expect(page.getByTestId('empty-canvas-hint')).toHaveText('Drag a node from the left, or open a template.');
  await expect(page.getByLabel('Graph title')).toHaveValue('Untitled graph');
  expect(new URL(page.url()).searchParams.has('template')).toBe(false);
  await page.getByTestId('open-lesson').click();
  await expect(page.getByRole('heading', { name: 'Lesson · 0 steps' })).toBeVisible();
  await page.getByRole('button', { name: 'Close lesson panel' }).click();

  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(nodes(page)).toHaveCount(count);
  await expect(page.getByTestId('empty-canvas-hint')).toHaveCount(0);
  await page.getByTestId('open-lesson').click();
  await expect(page.getByTestId('lesson-step')).toHaveCount(3);
  await page.getByRole('button', { name: 'Close lesson panel' }).click();

  // New blank graph: the graph now holds an edit (the undone deletion), so it asks first.
  await page.getByTestId('new-blank-graph').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('unsaved edits');
  await page.getByTestId('confirm-yes').click();
  await expect(nodes(page)).toHaveCount(0);
  await expect(page.getByTestId('empty-canvas-hint')).toBeVisible();
  await page.getByTestId('empty-canvas-hint').getByRole('button', { name: 'open a template' }).click();
  await page.getByRole('dialog', { name: 'Templates' }).getByTestId('template-compare').click();
  await ready(page, 'compare');
  // A template just opened holds no edits of the user's: no question.
  await page.getByTestId('new-blank-graph').click();
  await expect(page.getByTestId('confirm-dialog')).toHaveCount(0);
  await expect(nodes(page)).toHaveCount(0);
});

test('the lesson editor closes when a template loads and never covers the canvas', async ({ page }) => {
  await page.goto('/?template=pieces');
  await ready(page, 'text');
  await page.getByTestId('open-lesson').click();
  const panel = page.getByTestId('lesson-panel');
  await expect(panel).toBeVisible();
  const p = (await panel.boundingBox())!;
  const pane = (await page.locator('.react-flow').boundingBox())!;
  expect(p.x + p.width).toBeLessThanOrEqual(pane.x + 1);
  // The Text node's File button takes the click (it opens the file chooser).
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('node-text').getByRole('button', { name: 'File' }).click();
  await chooser;

  await openTemplate(page, 'vocab');
  await ready(page, 'bpe');
  await expect(panel).toHaveCount(0);
});

test('template nodes say their role, and any node is renamed by double-clicking its title', async ({ page }) => {
  await page.goto('/?template=vocab');
  await ready(page, 'bpe');
  await expect(cardTitle(page, 'corpus')).toHaveText('Corpus');
  await expect(cardTitle(page, 'text')).toHaveText('Sentence');

  const title = cardTitle(page, 'bpe');
  await title.dblclick();
  await page.getByTestId('node-title-input-bpe').fill('My tokenizer');
  await page.keyboard.press('Enter');
  await expect(title).toHaveText('My tokenizer');
  await title.click();
  await expect(page.getByTestId('inspector')).toHaveAttribute('aria-label', 'My tokenizer inspector');

  // Escape cancels; an empty title goes back to the kind's; Undo brings the rename back.
  await title.dblclick();
  await page.getByTestId('node-title-input-bpe').fill('Something else');
  await page.keyboard.press('Escape');
  await expect(title).toHaveText('My tokenizer');
  await title.dblclick();
  await page.getByTestId('node-title-input-bpe').fill('');
  await page.keyboard.press('Enter');
  await expect(title).toHaveText('BPE');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(title).toHaveText('My tokenizer');

  // Saved with the graph: the saved link opens with the name.
  await page.keyboard.press('Control+s');
  // Run alone, this is a fresh server's first save: it opens the database first (PGlite runs its
  // migrations), 40 s on a busy 2-core machine.
  await expect(page).toHaveURL(/\/g\//, { timeout: 90_000 });
  await expect(page.getByTestId('save')).toHaveText('Saved');
  await page.reload();
  await expect(cardTitle(page, 'bpe')).toHaveText('My tokenizer');

  // Renaming only the graph is an unsaved edit too: Save says so, and a reload keeps the draft.
  await expect(page.getByTestId('save')).toHaveText('Saved');
  await page.getByLabel('Graph title').fill('Our vocabulary lesson');
  await expect(page.getByTestId('save')).toHaveText('Save');
  await expect
    .poll(() => page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith('tokenloom:draft:') && localStorage.getItem(k)?.includes('Our vocabulary lesson'))))
    .toBe(true);
  await page.reload();
  await expect(page.getByLabel('Graph title')).toHaveValue('Our vocabulary lesson');
  await expect(page.getByTestId('toast')).toContainText('Restored your unsaved edits to this graph.');

  // The fine-tune template's two Transformers are told apart on the canvas, and no two cards
  // share a title (last: the template starts training in this browser).
  await page.goto('/?template=finetune');
  await expect(cardTitle(page, 'base')).toHaveText('Base model');
  await expect(cardTitle(page, 'tuned')).toHaveText('Fine-tuned model');
  await expect(cardTitle(page, 'corpus')).toHaveText('Training text');
  await expect(cardTitle(page, 'text')).toHaveText('Prompt');
  const titles = await page.locator('.react-flow__node:not(.react-flow__node-note) [data-testid^="node-title-"]').allTextContents();
  expect(titles.length).toBeGreaterThanOrEqual(6);
  expect(new Set(titles).size).toBe(titles.length);
});

test('a hand-built chain: BPE says its own sentence gives almost no merges, Decode says which tokenizer made its IDs, and each fix works', async ({ page }, testInfo) => {
  await page.goto('/');
  await ready(page, 'pretokenize');
  await page.getByTestId('node-text').getByTestId('text-input').fill('I love NLP');
  await ready(page, 'pretokenize');
  const pane = page.locator('.react-flow__pane');
  // Room below the starter for four more nodes, and its ports clear of the pane's edges (a wire
  // dragged near an edge pans the canvas).
  const zoom = () => page.locator('.react-flow__viewport').evaluate((el) => new DOMMatrix(getComputedStyle(el).transform).a);
  const before = await zoom();
  await page.locator('.react-flow__controls-zoomout').click();
  await page.locator('.react-flow__controls-zoomout').click();
  await expect.poll(zoom).toBeLessThan(before / 1.3);
  // The zoom animates: drop nodes only once the viewport stands still over a few frames, or a
  // drop lands where the pane was a moment before.
  const still = () =>
    page.locator('.react-flow__viewport').evaluate(async (el) => {
      const frame = () => new Promise((done) => requestAnimationFrame(done));
      const before = getComputedStyle(el).transform;
      for (let i = 0; i < 5; i++) await frame();
      return getComputedStyle(el).transform === before;
    });
  await expect.poll(still).toBe(true);
  /** Drops a node from the palette at a spot of the pane, as a user drags it, and returns its id. */
  const drop = async (type: string, x: number, y: number) => {
    const before = await page.locator(`.react-flow__node-${type}`).count();
    await page.getByTestId(`palette-${type}`).dragTo(pane, { targetPosition: { x, y } });
    await expect(page.locator(`.react-flow__node-${type}`)).toHaveCount(before + 1);
    const node = page.locator(`.react-flow__node-${type}`).last();
    // It lands where it was dropped: its top-left corner is left of and above the drop point.
    const [box, paneBox] = [await node.boundingBox(), await pane.boundingBox()];
    expect(box!.x - paneBox!.x).toBeLessThan(x);
    expect(box!.x + box!.width - paneBox!.x).toBeGreaterThan(x);
    return (await node.getAttribute('data-id'))!;
  };
  const wire = async (from: string, to: string) => (await dragWire(page, page.getByTestId(`handle-${from}`), page.getByTestId(`handle-${to}`))).release();

  const id = await drop('bpe', 180, 560);
  // Fresh, it needs input (not an error) and the port to connect is highlighted.
  await expect(status(page, id)).toHaveAttribute('data-status', 'needs-input');
  await expect(page.getByTestId(`handle-${id}-in-pretokens`)).toHaveAttribute('data-needed', 'true');
  await wire('pretokenize-out-pretokens', `${id}-in-pretokens`);
  await ready(page, id);
  const hint = page.getByTestId(`node-${id}`).getByTestId('bpe-hint');
  await expect(hint).toContainText('merges, so most tokens are single bytes: connect a corpus');

  // IDs from GPT-2, decoded with the BPE trained here: Decode names both and the fix.
  const gpt2 = await drop('pretrained', 560, 560);
  await wire('clean-out-text', `${gpt2}-in-text`);
  await ready(page, gpt2);
  const ids = await drop('ids', 180, 820);
  await wire(`${gpt2}-out-tokens`, `${ids}-in-tokens`);
  const decode = await drop('decode', 560, 820);
  await wire(`${ids}-out-ids`, `${decode}-in-ids`);
  await wire(`${id}-out-tokenizer`, `${decode}-in-tokenizer`);
  await page.screenshot({ path: testInfo.outputPath('hand-built-chain.png') });
  const decodeError = page.getByTestId(`node-${decode}`).getByTestId('node-error');
  await expect(decodeError).toContainText(/^ID \d+ is not in the vocabulary of BPE \(trained\)/);
  await expect(decodeError).toContainText(
    'These IDs were made by GPT-2, but this Decode node is given BPE (trained): connect its tokenizer input to the GPT-2 tokenizer that made them.',
  );
  // Doing what it says decodes the sentence.
  await wire(`${gpt2}-out-tokenizer`, `${decode}-in-tokenizer`);
  await ready(page, decode);
  await expect(decodeError).toHaveCount(0);
  await expect(page.getByTestId(`node-${decode}`)).toContainText('I love NLP');

  await page.getByTestId(`node-${id}`).getByTestId('bpe-use-gpt2').click();
  await expect(hint).toHaveCount(0);
  await expect(page.getByTestId(`node-${id}`)).toContainText('GPT-2 merges');
});

test('the ID-vs-frequency card ranks tokens both ways side by side and highlights one token in both and on the scatter', async ({ page }) => {
  await page.goto('/?template=frequency');
  await ready(page, 'bpe');
  const card = page.getByTestId('id-vs-frequency');
  const byId = card.getByTestId('ranked-by-id').locator('button');
  const byFrequency = card.getByTestId('ranked-by-frequency').locator('button');
  await expect(byId).toHaveCount(25);
  await expect(byFrequency).toHaveCount(25);
  const ids = await byId.evaluateAll((b) => b.map((e) => Number(e.getAttribute('data-token-id'))));
  const freqOrder = await byFrequency.evaluateAll((b) => b.map((e) => Number(e.getAttribute('data-token-id'))));
  expect(ids).toEqual([...ids].sort((a, b) => a - b));
  expect(freqOrder).not.toEqual(ids);
  const shared = freqOrder.find((t) => ids.includes(t))!;
  expect(shared).toBeDefined();
  await card.getByTestId('ranked-by-frequency').locator(`[data-token-id="${shared}"]`).click();
  await page.mouse.move(5, 5);
  await expect(card.getByTestId('ranked-by-id').locator(`[data-token-id="${shared}"]`)).toHaveAttribute('data-highlighted', 'true');
  await expect(card.getByTestId('ranked-by-frequency').locator(`[data-token-id="${shared}"]`)).toHaveAttribute('data-highlighted', 'true');
  await expect(card.getByTestId('id-frequency-scatter-highlight')).toHaveCount(1);
  await expect(card.getByTestId('id-frequency-chosen')).toContainText(`ID ${shared}`);
  // Labelled axes with values.
  await expect(card.getByTestId('id-frequency-scatter')).toContainText('token ID (merge order)');
  await expect(card.getByTestId('id-frequency-scatter')).toContainText('frequency (log scale)');
  const xTicks = await card.getByTestId('id-frequency-scatter-x-ticks').locator('text').allTextContents();
  expect(xTicks.length).toBeGreaterThanOrEqual(2);
  for (const t of xTicks) expect(t).toMatch(/^\d{1,3}(,\d{3})*$/);
  await expect(card.getByTestId('id-frequency-scatter-y-ticks').locator('text').nth(1)).toHaveText('10');
});

test('switching to the server re-runs there and each node says so; a template keeps that choice', async ({ page }) => {
  await page.goto('/');
  await ready(page, 'pretokenize');
  await expect(status(page, 'pretokenize')).toHaveAttribute('data-where', 'browser');
  await page.getByTestId('run-on-server').click();
  for (const id of ['text', 'clean', 'pretokenize']) await expect(status(page, id)).toHaveAttribute('data-where', 'server');
  await expect(status(page, 'pretokenize')).toContainText('server');
  await openTemplate(page, 'compare');
  await expect(page.getByTestId('run-on-server')).toHaveAttribute('aria-checked', 'true');
  await ready(page, 'compare');
  await expect(status(page, 'compare')).toHaveAttribute('data-where', 'server');
  // A graph that names where it prefers to run gets its way.
  const prefers = { schemaVersion: 1, title: 'Runs in the browser', runOn: 'browser', nodes: [{ id: 'typed', type: 'text', params: {}, position: { x: 0, y: 0 } }], edges: [] };
  await page.getByTestId('share').click();
  await page.getByTestId('import-file').setInputFiles({ name: 'browser.tokenloom.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(prefers)) });
  await expect(page.getByTestId('run-on-browser')).toHaveAttribute('aria-checked', 'true');
  await ready(page, 'typed');
  await expect(status(page, 'typed')).toHaveAttribute('data-where', 'browser');
});

test('the minimap can be hidden (and stays hidden), and it is hidden while presenting', async ({ page }) => {
  await page.goto('/?template=compare');
  await ready(page, 'compare');
  const minimap = page.locator('.react-flow__minimap');
  await expect(minimap).toBeVisible();
  await page.getByTestId('minimap-toggle').click();
  await expect(minimap).toHaveCount(0);
  await page.reload();
  await ready(page, 'compare');
  await expect(minimap).toHaveCount(0);
  await page.getByTestId('minimap-toggle').click();
  await expect(minimap).toBeVisible();
  await page.getByTestId('open-lesson').click();
  await page.getByTestId('present').click();
  await expect(page.getByTestId('presenter')).toBeVisible();
  await expect(minimap).toHaveCount(0);
});

test('zoom to fit stops at a readable zoom on the whole pipeline and shows where it starts', async ({ page }) => {
  await page.goto('/?template=pipeline');
  await ready(page, 'text');
  await page.getByRole('button', { name: 'Fit view', exact: true }).click();
  const zoom = async () => page.locator('.react-flow__viewport').evaluate((el) => new DOMMatrix(getComputedStyle(el).transform).a);
  await expect.poll(zoom).toBeGreaterThanOrEqual(0.6);
  const pane = (await page.locator('.react-flow').boundingBox())!;
  const first = (await page.getByTestId('node-text').boundingBox())!;
  expect(first.x).toBeGreaterThanOrEqual(pane.x);
  expect(first.y).toBeGreaterThanOrEqual(pane.y);
});

test('template text speaks to learners, and special tokens are said in words and counted apart', async ({ page }) => {
  await page.goto('/?template=compare');
  await ready(page, 'compare');
  await expect(page.locator('.react-flow')).toContainText('A common tutorial example claims');
  await expect(page.locator('.react-flow')).not.toContainText('seed example');
  const inspector = page.getByTestId('inspector');
  await expect(inspector.getByRole('columnheader', { name: 'text tokens' })).toBeVisible();
  await expect(inspector.getByRole('columnheader', { name: '+ special' })).toBeVisible();
  await expect(inspector.getByTestId('compare-text-tokens-GPT-2')).toHaveText('4');
  // chars/token divides the 10 characters by the text tokens, not by text + special tokens.
  const rows = inspector.locator('tr').filter({ has: page.locator('[data-testid^="compare-text-tokens-"]') });
  await expect(rows).toHaveCount(3);
  const cells = await rows.evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')));
  expect(cells.some((c) => c[2] === '+2')).toBe(true);
  for (const [, textTokens, , charsPerToken] of cells) expect(charsPerToken).toBe((10 / Number(textTokens)).toFixed(2));
  await cardTitle(page, 'gpt2').click();
  await page.locator('#param-gpt2-model').selectOption('bert-base-uncased');
  await ready(page, 'gpt2');
  await expect(inspector).toContainText('It adds [CLS] before the text and [SEP] after it.');
});

test('a refused setting reads as a sentence, and a count over part of a long text says so', async ({ page }) => {
  await page.goto('/?template=frequency');
  await ready(page, 'bpe');
  await page.locator('#param-bpe-vocabSize').fill('100');
  await expect(page.getByTestId('node-bpe').getByTestId('node-error')).toContainText('A vocabulary must hold at least the 256 bytes: pick 256 or more.');
  await expect(page.getByTestId('node-bpe').getByTestId('node-error')).not.toContainText('expected');
  await page.locator('#param-bpe-vocabSize').fill('1000');
  await ready(page, 'bpe');
  await cardTitle(page, 'text').click();
  await page.getByTestId('node-text').getByTestId('text-input').fill('ab '.repeat(70_000));
  await expect(page.getByTestId('inspector')).toContainText('(in the first 200,000 characters)');
});

test('a graph over the size limit is refused with a sentence, from a link and from a file, and the canvas keeps its graph', async ({ page }) => {
  const big = {
    schemaVersion: 1,
    title: 'Too big',
    nodes: Array.from({ length: 301 }, (_, i) => ({ id: `t${i}`, type: 'text', params: {}, position: { x: i * 20, y: 0 } })),
    edges: [],
  };
  const sentence = 'This graph has 301 nodes; Tokenloom opens graphs of up to 300.';
  await page.goto(`/#g=${LZString.compressToEncodedURIComponent(JSON.stringify(big))}`);
  await expect(page.getByTestId('toast')).toContainText(sentence);
  await ready(page, 'pretokenize');
  const count = await nodes(page).count();
  expect(count).toBeLessThan(301);

  await page.getByTestId('share').click();
  await page.getByTestId('import-file').setInputFiles({ name: 'big.tokenloom.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(big)) });
  await expect(page.getByTestId('toast')).toContainText(`Not imported: ${sentence}`);
  await expect(page.getByTestId('toast')).not.toContainText('expected');
  await expect(nodes(page)).toHaveCount(count);
  await expect(page.getByLabel('Graph title')).not.toHaveValue('Too big');
});

test('a first visit loads cleanly: no console errors, no failed or aborted requests, and the tab has an icon', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed request: ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.goto('/');
  await ready(page, 'pretokenize');
  for (const id of ['text', 'clean']) await ready(page, id);
  const href = await page.locator('link[rel="icon"]').first().getAttribute('href');
  expect(href).toBeTruthy();
  const icon = await page.request.get(href!);
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toMatch(/^image\//);
  // Browsers and bookmarking tools still ask for /favicon.ico by name.
  const ico = await page.request.get('/favicon.ico');
  expect(ico.status()).toBe(200);
  expect(ico.headers()['content-type']).toMatch(/^image\//);
  expect(problems).toEqual([]);
});
