import LZString from 'lz-string';
import { expect, test } from '@playwright/test';
import { openLab } from './helpers';

test('a saved graph opens read-only by link in a fresh browser, forks, and the fork edits leave the original alone', async ({ page, browser }) => {
  await openLab(page);
  const input = page.getByTestId('node-text').getByTestId('text-input');
  await input.fill('Shared by the teacher');
  await page.keyboard.press('Control+s');
  await expect(page).toHaveURL(/\/g\/[A-Za-z0-9_-]{22}$/);
  await expect(page.getByTestId('save')).toHaveText(/Saved/);
  const link = page.url();
  await page.getByTestId('share').click();
  await expect(page.getByTestId('my-graphs')).toContainText('From text to pieces');
  await page.getByTestId('share').click();

  const student = await browser.newContext();
  const studentPage = await student.newPage();
  await studentPage.goto(link);
  await expect(studentPage.getByTestId('read-only')).toBeVisible();
  await expect(studentPage.getByTestId('node-text').getByTestId('text-input')).toHaveValue('Shared by the teacher');
  await expect(studentPage.getByTestId('node-pretokenize').getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/);
  await expect(studentPage.getByTestId('palette')).toHaveCount(0);

  await studentPage.getByTestId('fork').click();
  await expect(studentPage.getByTestId('read-only')).toHaveCount(0);
  await expect(studentPage).not.toHaveURL(link);
  await expect(studentPage).toHaveURL(/\/g\/[A-Za-z0-9_-]{22}$/);
  await studentPage.getByTestId('node-text').getByTestId('text-input').fill('Changed by a student');
  await studentPage.keyboard.press('Control+s');
  await expect(studentPage.getByTestId('save')).toHaveText(/Saved/);
  await student.close();

  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto(link);
  await expect(otherPage.getByTestId('node-text').getByTestId('text-input')).toHaveValue('Shared by the teacher');
  await other.close();
});

test('a link with the graph inside opens with the server down, and a failed save keeps the graph', async ({ page, browser }) => {
  await openLab(page);
  await page.getByTestId('node-text').getByTestId('text-input').fill('Travels in the link');
  await page.getByTestId('share').click();
  await page.getByTestId('copy-hash-link').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toMatch(/#g=/);

  const offline = await browser.newContext();
  const offlinePage = await offline.newPage();
  await offlinePage.route('**/api/trpc/**', (route) => route.abort('connectionrefused'));
  await offlinePage.goto(link);
  await expect(offlinePage.getByTestId('read-only')).toBeVisible();
  await expect(offlinePage.getByTestId('node-text').getByTestId('text-input')).toHaveValue('Travels in the link');
  await expect(offlinePage.getByTestId('node-pretokenize').getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/);
  await offlinePage.getByTestId('fork').click();
  await offlinePage.getByTestId('node-text').getByTestId('text-input').fill('Edited offline');
  await offlinePage.getByTestId('save').click();
  await expect(offlinePage.getByTestId('toast')).toContainText('Could not save: The server could not be reached.');
  await expect(offlinePage.getByTestId('node-text').getByTestId('text-input')).toHaveValue('Edited offline');
  // The draft survives a reload: wait until it is written, not for a fixed time.
  await expect
    .poll(() => offlinePage.evaluate(() => Object.keys(localStorage).some((k) => localStorage.getItem(k)?.includes('Edited offline'))))
    .toBe(true);
  await offlinePage.goto('/');
  await expect(offlinePage.getByTestId('node-text').getByTestId('text-input')).toHaveValue('Edited offline');
  await offline.close();
});

test('import refuses a bad file with a message and keeps the graph; export then import round-trips', async ({ page }) => {
  await openLab(page);
  await page.getByTestId('node-text').getByTestId('text-input').fill('Round trip');
  await page.getByTestId('share').click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export JSON' }).click();
  const file = await (await download).path();

  await page.getByTestId('import-file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"schemaVersion": 1, "nodes": [{"id": "x"}], "edges": []}') });
  await expect(page.getByTestId('toast')).toContainText("Not imported: The graph is malformed: node 'x'");
  await expect(page.getByTestId('node-text').getByTestId('text-input')).toHaveValue('Round trip');

  await page.getByTestId('node-text').getByTestId('text-input').fill('Something else');
  await page.getByTestId('import-file').setInputFiles(file!);
  await expect(page.getByTestId('node-text').getByTestId('text-input')).toHaveValue('Round trip');
});

test('edits to a template from the gallery survive a reload of its address; a fresh browser gets the template as shipped', async ({ page, browser }) => {
  await openLab(page);
  await page.getByTestId('open-templates').click();
  await page.getByRole('dialog', { name: 'Templates' }).getByTestId('template-vocab').click();
  await expect(page).toHaveURL(/\?template=vocab$/);
  const input = page.getByTestId('node-text').getByTestId('text-input');
  const shipped = await input.inputValue();
  await input.fill('My edit before the reload');
  await expect
    .poll(() => page.evaluate(() => Object.keys(localStorage).some((k) => localStorage.getItem(k)?.includes('My edit before the reload'))))
    .toBe(true);
  await page.reload();
  await expect(input).toHaveValue('My edit before the reload');
  await expect(page.getByTestId('toast')).toContainText('Restored your unsaved edits to this template.');
  // The inspector opens on the template's own node, as on a fresh visit, not on the template list.
  await expect(page.getByTestId('inspector-question')).toHaveText('How is a vocabulary made? Is a token ID its frequency?');
  await expect(page.getByTestId('inspector-empty')).toHaveCount(0);

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto('/?template=vocab');
  await expect(other.getByTestId('node-text').getByTestId('text-input')).toHaveValue(shipped);
  await fresh.close();
});

test('in a read-only view the Text node\'s text box stays inside its card', async ({ page }) => {
  const graph = {
    schemaVersion: 1,
    title: 'Read-only text',
    nodes: [{ id: 'text', type: 'text', params: { text: 'A text to read, not to edit. '.repeat(20), origin: 'typed' }, position: { x: 0, y: 0 } }],
    edges: [],
  };
  await page.goto(`/#g=${LZString.compressToEncodedURIComponent(JSON.stringify(graph))}`);
  await expect(page.getByTestId('read-only')).toBeVisible();
  const card = page.getByTestId('node-text');
  const box = card.getByTestId('text-input');
  await expect(box).toHaveAttribute('readonly', '');
  const inside = async () => {
    const [c, b] = [await card.boundingBox(), await box.boundingBox()];
    return Boolean(c && b) && b!.x >= c!.x && b!.x + b!.width <= c!.x + c!.width + 0.5 && b!.y + b!.height <= c!.y + c!.height + 0.5;
  };
  await expect.poll(inside).toBe(true);
});

