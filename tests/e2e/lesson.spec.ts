import { expect, test } from '@playwright/test';
import { inspect } from './helpers';

test.use({ viewport: { width: 1920, height: 1080 } });

test('a template from the gallery presents its lesson: question first, answer on the next key, step by step', async ({ page }, testInfo) => {
  await page.goto('/');
  await page.getByTestId('open-templates').click();
  await page.getByRole('dialog', { name: 'Templates' }).getByTestId('template-compare').click();
  await expect(page.getByTestId('node-compare').getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/);

  await page.getByTestId('open-lesson').click();
  await expect(page.getByTestId('lesson-step')).toHaveCount(3);
  await page.getByTestId('present').click();

  const expected = [
    { question: 'We give three models the same sentence. Will they see the same numbers?', answer: 'Ask the class to guess' },
    { question: 'What IDs does GPT-2 give “I love NLP”?', answer: '19930' },
    { question: 'Are token IDs the same across models?', answer: "'I' is 40 in GPT-2, 1045 in BERT" },
  ];
  for (const [i, step] of expected.entries()) {
    await expect(page.getByTestId('presenter-progress')).toHaveText(`Step ${i + 1} of 3`);
    await expect(page.getByTestId('presenter-question')).toHaveText(step.question);
    await expect(page.getByTestId('presenter-answer')).toHaveCount(0);
    await page.keyboard.press(i % 2 ? 'Space' : 'ArrowRight');
    await expect(page.getByTestId('presenter-answer')).toContainText(step.answer);
    if (i === 2) await page.screenshot({ path: testInfo.outputPath('lesson-step-3-1920x1080.png') });
    await page.keyboard.press('ArrowRight');
  }
  // Back goes to the previous step's question; Esc ends the lesson.
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('presenter-answer')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('presenter')).toHaveCount(0);
  await expect(page.getByTestId('palette')).toBeVisible();
});

test('a lesson link opens read-only in lesson mode at step 1; teacher controls hide the palette and lock the graph', async ({ page, browser }) => {
  await page.goto('/?template=pieces');
  await page.getByTestId('open-lesson').click();
  await page.getByText('Hide the node palette').click();
  await page.getByText('Lock the graph (settings stay editable)').click();
  await expect(page.getByTestId('palette')).toHaveCount(0);
  await page.getByTestId('share').click();
  await page.getByTestId('copy-lesson-link').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toContain('?lesson=1#g=');

  const student = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const studentPage = await student.newPage();
  await studentPage.goto(link);
  await expect(studentPage.getByTestId('presenter-progress')).toHaveText('Step 1 of 3');
  await expect(studentPage.getByTestId('presenter-question')).toHaveText('What does a computer see when it stores text?');
  await studentPage.keyboard.press('Escape');
  await expect(studentPage.getByTestId('read-only')).toBeVisible();
  await expect(studentPage.getByTestId('palette')).toHaveCount(0);
  await student.close();
});

test('a teacher adds a step for a node, edits its question, moves it first, and presents it', async ({ page }) => {
  await page.goto('/?template=pieces');
  await page.getByTestId('open-lesson').click();
  await expect(page.getByTestId('lesson-step')).toHaveCount(3);
  await inspect(page, 'clean');
  await page.getByRole('button', { name: 'Add a step for the selected node' }).click();
  await expect(page.getByTestId('lesson-step')).toHaveCount(4);
  await page.getByLabel('Step 4 question').fill('Which characters did cleaning change?');
  for (let i = 3; i > 0; i--) await page.getByTestId('lesson-step').nth(i).getByRole('button', { name: 'Move up' }).click();
  await expect(page.getByLabel('Step 1 question')).toHaveValue('Which characters did cleaning change?');
  await page.getByTestId('present').click();
  await expect(page.getByTestId('presenter-progress')).toHaveText('Step 1 of 4');
  await expect(page.getByTestId('presenter-question')).toHaveText('Which characters did cleaning change?');
  await page.keyboard.press('Escape');
  // The lesson is part of the graph: undo takes the last edit back.
  await page.keyboard.press('Control+z');
  // Presenting closed the lesson editor; reopen it to read the steps.
  await page.getByTestId('open-lesson').click();
  await expect(page.getByLabel('Step 1 question')).not.toHaveValue('Which characters did cleaning change?');
});
