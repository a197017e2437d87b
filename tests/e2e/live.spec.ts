import { expect, test } from '@playwright/test';

test.use({ viewport: { width: 1600, height: 900 } });

test('a teacher goes live; a student joins by code, follows, answers, explores and comes back; the projector counts the answer and the reveal shows the graph’s live value', async ({ browser }, testInfo) => {
  const teacherContext = await browser.newContext();
  const teacher = await teacherContext.newPage();
  await teacher.goto('/?template=compare');
  await expect(teacher.getByTestId('node-gpt2').getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/);
  await teacher.getByTestId('open-lesson').click();
  // The template's lesson carries prediction questions, editable in the lesson editor.
  await expect(teacher.getByLabel('Step 2 prediction', { exact: true })).toHaveValue('token-count');
  await teacher.getByTestId('go-live').click();
  const code = (await teacher.getByTestId('live-code').textContent())?.trim() ?? '';
  expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/);
  await expect(teacher.getByTestId('live-link')).toHaveText(new RegExp(`/live/${code}$`));
  await expect(teacher.getByTestId('live-qr')).toBeVisible();
  await expect(teacher.getByTestId('live-students')).toHaveText('0 students joined');

  // The student joins on another device (another browser context) by typing the code.
  const studentContext = await browser.newContext();
  const student = await studentContext.newPage();
  await student.goto('/live');
  await student.getByTestId('live-join-code').fill(code.toLowerCase());
  await student.getByTestId('live-join-name').fill('<b>Ada</b>');
  await student.getByTestId('live-join').click();
  await expect(student.getByTestId('live-progress')).toHaveText('Step 1 of 3');
  await expect(student.getByTestId('live-question')).toHaveText('We give three models the same sentence. Will they see the same numbers?');
  await expect(student).toHaveURL(new RegExp(`/live/${code}$`));
  await expect(student.getByText('You: <b>Ada</b>')).toBeVisible(); // a name is text, never markup
  await expect(teacher.getByTestId('live-students')).toHaveText('1 student joined');
  await expect(teacher.getByText('Latest: <b>Ada</b>')).toBeVisible();

  // The teacher reveals step 1 and moves on: the student follows.
  await teacher.keyboard.press('ArrowRight');
  await teacher.keyboard.press('ArrowRight');
  await expect(student.getByTestId('live-progress')).toHaveText('Step 2 of 3');
  await expect(student.getByTestId('live-student-prompt')).toHaveText('How many tokens will GPT-2 use for “I love NLP”?');
  await expect(teacher.getByTestId('live-prompt')).toHaveText('How many tokens will GPT-2 use for “I love NLP”?');
  // Before the reveal, whatever answers the question is covered on the projector and on the
  // student's page alike; the text the question is about stays readable.
  for (const page of [teacher, student]) {
    await expect(page.getByTestId('answer-cover-gpt2')).toContainText('Hidden until the reveal');
    await expect(page.getByTestId('answer-covered-gpt2')).toHaveAttribute('aria-hidden', 'true');
    await expect(page.getByTestId('answer-cover-compare')).toBeVisible();
    await expect(page.getByTestId('answer-cover-text')).toHaveCount(0);
  }

  // The student answers, then changes the answer; the projector counts one answer, no names.
  await student.getByTestId('live-answer-input').fill('3');
  await student.getByTestId('live-answer-submit').click();
  await expect(student.getByTestId('live-my-answer')).toContainText('Your answer: 3');
  await expect(teacher.locator('[data-testid=live-bin][data-value="3"] [data-testid=live-bin-count]')).toHaveText('1');
  await student.getByTestId('live-answer-input').fill('4');
  await student.getByTestId('live-answer-submit').click();
  await expect(student.getByTestId('live-my-answer')).toContainText('Your answer: 4');
  await expect(teacher.getByTestId('live-bin')).toHaveCount(1);
  await expect(teacher.locator('[data-testid=live-bin][data-value="4"] [data-testid=live-bin-count]')).toHaveText('1');

  // Explore: an editable copy that runs in the student's browser; back to the class restores the teacher's graph.
  await student.getByTestId('live-explore').click();
  await expect(student.getByTestId('live-exploring')).toBeVisible();
  await student.getByTestId('node-text').getByTestId('text-input').fill('Hello');
  await expect(student.getByTestId('live-node-answer').getByTestId('pretrained-stats')).toContainText(/^1\s*tokens/);
  await student.getByTestId('live-back').click();
  await expect(student.getByTestId('live-exploring')).toHaveCount(0);
  await expect(student.getByTestId('node-text').getByTestId('text-input')).toHaveValue('I love NLP');

  // The teacher edits the text on the projector: the student's graph follows, and the reveal
  // reads the answer from the running graph (5 tokens now), not from the lesson.
  await teacher.getByTestId('node-text').getByTestId('text-input').fill('I love NLP!');
  await expect(student.getByTestId('node-text').getByTestId('text-input')).toHaveValue('I love NLP!');
  await expect(teacher.getByTestId('node-gpt2').getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/);
  await teacher.keyboard.press('ArrowRight');
  await expect(teacher.getByTestId('live-true-answer')).toHaveText('The graph says: 5');
  await expect(student.getByTestId('live-revealed-answer')).toHaveText('5');
  await expect(teacher.getByTestId('answer-cover-gpt2')).toHaveCount(0);
  await expect(student.getByTestId('answer-cover-gpt2')).toHaveCount(0);
  await expect(teacher.getByTestId('node-gpt2')).toContainText('5 tokens');
  await expect(student.getByTestId('live-verdict')).toHaveText('You answered 4.');
  await expect(student.getByTestId('live-node-answer').getByTestId('pretrained-stats')).toContainText(/^5\s*tokens/);
  await expect(teacher.locator('[data-testid=live-bin][data-value="4"] [data-testid=live-bin-count]')).toHaveText('1');
  await teacher.screenshot({ path: testInfo.outputPath('live-projector-reveal.png') });
  await student.screenshot({ path: testInfo.outputPath('live-student-reveal.png') });

  // The next step reaches the student; a choice answer reaches the projector.
  await teacher.keyboard.press('ArrowRight');
  await expect(student.getByTestId('live-progress')).toHaveText('Step 3 of 3');
  await student.getByTestId('live-choice').filter({ hasText: 'No' }).click();
  await expect(teacher.locator('[data-testid=live-bin][data-value="no"] [data-testid=live-bin-count]')).toHaveText('1');
  await expect(teacher.locator('[data-testid=live-bin][data-value="yes"] [data-testid=live-bin-count]')).toHaveText('0');

  await teacher.getByTestId('live-end').click();
  await expect(student.getByTestId('live-ended')).toBeVisible();
  await teacherContext.close();
  await studentContext.close();
});

test('a 40-character name without spaces wraps on the student page instead of scrolling it sideways, on a phone too', async ({ browser }) => {
  const teacherContext = await browser.newContext();
  const teacher = await teacherContext.newPage();
  await teacher.goto('/?template=compare');
  await teacher.getByTestId('open-lesson').click();
  await teacher.getByTestId('go-live').click();
  const code = (await teacher.getByTestId('live-code').textContent())?.trim() ?? '';
  for (const [width, height] of [[1600, 800], [1280, 800], [390, 844]] as const) {
    const studentContext = await browser.newContext({ viewport: { width, height }, ...(width < 768 && { isMobile: true, hasTouch: true }) });
    const student = await studentContext.newPage();
    await student.goto(`/live/${code}`);
    await student.getByTestId('live-join-name').fill('W'.repeat(40));
    await student.getByTestId('live-join').click();
    await expect(student.getByTestId('live-progress')).toHaveText('Step 1 of 3');
    await expect(student.getByText(`You: ${'W'.repeat(40)}`)).toBeVisible();
    const sideways = await student.evaluate(() => document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth);
    expect(sideways, `at ${width} px`).toBeLessThanOrEqual(0);
    const aside = await student.getByTestId('live-student').evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(aside, `the class panel at ${width} px`).toBeLessThanOrEqual(0);
    // The question and the panel fit the screen: on a phone the panel is under the graph, full width.
    await expect(student.getByTestId('live-question')).toBeInViewport();
    const panel = (await student.getByTestId('live-student').boundingBox())!;
    expect(panel.x + panel.width, `the class panel's right edge at ${width} px`).toBeLessThanOrEqual(width + 0.5);
    if (width < 768) expect(panel.width).toBeGreaterThan(width * 0.9);
    await studentContext.close();
  }
  await teacher.getByTestId('live-end').click();
  await teacherContext.close();
});

test('a wrong join code is refused with a sentence, and the form stays', async ({ page }) => {
  await page.goto('/live/ZZZZZZ');
  await expect(page.getByTestId('live-join-code')).toHaveValue('ZZZZZZ');
  await page.getByTestId('live-join').click();
  await expect(page.getByTestId('live-join-problem')).toHaveText('No live class has the code ZZZZZZ. Check the code on the teacher’s screen.');
  await page.getByTestId('live-join-code').fill('<img src=x>');
  await page.getByTestId('live-join').click();
  await expect(page.getByTestId('live-join-problem')).toHaveText('A join code is 6 letters and digits, as shown on the teacher’s screen.');
});

test('the lesson editor adds a prediction question to a step, and the live reveal answers it from the graph', async ({ page }) => {
  await page.goto('/?template=compare');
  await expect(page.getByTestId('node-text').getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/);
  await page.getByTestId('open-lesson').click();
  const measure = page.getByLabel('Step 1 prediction', { exact: true });
  await expect(measure).toHaveValue('');
  await measure.selectOption('byte-count');
  await page.getByLabel('Step 1 prediction prompt').fill('How many bytes is “I love NLP” in UTF-8?');
  await page.getByTestId('go-live').click();
  await expect(page.getByTestId('live-prompt')).toHaveText('How many bytes is “I love NLP” in UTF-8?');
  await expect(page.getByTestId('live-histogram')).toContainText('0 answers');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('live-true-answer')).toHaveText('The graph says: 10');
  await page.getByTestId('live-end').click();
  await expect(page.getByTestId('live-teacher')).toHaveCount(0);
});

test('Esc ends presenting, not the class: the header says the class is live, goes back to presenting, and ends it', async ({ page }) => {
  await page.goto('/?template=compare');
  await expect(page.getByTestId('node-gpt2').getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/);
  await page.getByTestId('open-lesson').click();
  await page.getByTestId('go-live').click();
  const code = (await page.getByTestId('live-code').textContent())?.trim() ?? '';
  expect(code).toMatch(/^[A-Z2-9]{6}$/);
  await expect(page.getByTestId('live-badge')).toBeHidden(); // the header is hidden while presenting
  await page.keyboard.press('ArrowRight'); // reveal step 1
  await expect(page.getByTestId('presenter-answer')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('presenter')).toHaveCount(0);
  await expect(page.getByTestId('live-badge')).toBeVisible();
  await expect(page.getByTestId('live-badge-code')).toHaveText(code);
  await page.getByTestId('live-badge-present').click();
  await expect(page.getByTestId('presenter-progress')).toHaveText('Step 1 of 3');
  await expect(page.getByTestId('presenter-answer')).toBeVisible(); // where the class is: revealed
  await expect(page.getByTestId('live-code')).toHaveText(code);
  await page.keyboard.press('Escape');
  await page.getByTestId('live-badge-end').click();
  await expect(page.getByTestId('live-badge')).toHaveCount(0);
  // Ended from the header, the class's answers open in the lesson panel, in view.
  await expect(page.getByTestId('class-results')).toBeInViewport();
  await expect(page.getByTestId('class-results')).toContainText(code);
  await expect(page.getByTestId('go-live')).toHaveText('Go live');
});

test('a teacher who reloads mid-class keeps control, and after the class reads its answers again from past classes', async ({ browser }, testInfo) => {
  const teacherContext = await browser.newContext();
  const teacher = await teacherContext.newPage();
  await teacher.goto('/?template=compare');
  await expect(teacher.getByTestId('node-gpt2').getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/);
  await teacher.getByTestId('open-lesson').click();
  await teacher.getByTestId('go-live').click();
  const code = (await teacher.getByTestId('live-code').textContent())?.trim() ?? '';
  expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/);

  const studentContext = await browser.newContext();
  const student = await studentContext.newPage();
  await student.goto(`/live/${code}`);
  await student.getByTestId('live-join').click();
  await expect(student.getByTestId('live-progress')).toHaveText('Step 1 of 3');
  await teacher.keyboard.press('ArrowRight'); // reveal step 1

  // The reload: the class comes back on the step where it was, with the same code and students.
  await teacher.reload();
  await expect(teacher.getByTestId('live-code')).toHaveText(code);
  await expect(teacher.getByTestId('presenter-progress')).toHaveText('Step 1 of 3');
  await expect(teacher.getByTestId('presenter-answer')).toBeVisible();
  await expect(teacher.getByTestId('live-students')).toHaveText('1 student joined');
  const secret = await teacher.evaluate((c) => (JSON.parse(localStorage.getItem(`tokenloom-live-class:${c}`) ?? '{}') as { controlSecret?: string }).controlSecret, code);
  expect(secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  expect(teacher.url()).not.toContain(secret!);

  // Next still moves the class: the student follows.
  await teacher.keyboard.press('ArrowRight');
  await expect(teacher.getByTestId('presenter-progress')).toHaveText('Step 2 of 3');
  await expect(student.getByTestId('live-progress')).toHaveText('Step 2 of 3');
  await student.getByTestId('live-answer-input').fill('3');
  await student.getByTestId('live-answer-submit').click();
  await expect(teacher.locator('[data-testid=live-bin][data-value="3"] [data-testid=live-bin-count]')).toHaveText('1');
  await expect(teacher.getByTestId('node-gpt2').getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/);
  await teacher.keyboard.press('ArrowRight'); // reveal: the graph says 4
  await expect(teacher.getByTestId('live-true-answer')).toHaveText('The graph says: 4');

  // Ending the class shows every question's answers, without names; the student sees none of it.
  await teacher.getByTestId('live-end').click();
  const results = teacher.getByTestId('class-results');
  await expect(results.locator('[data-testid=class-results-question][data-step="2"] [data-testid=class-results-answer]')).toHaveText('The graph said: 4');
  await expect(results.locator('[data-testid=class-results-question][data-step="2"] [data-testid=live-bin][data-value="3"] [data-testid=live-bin-count]')).toHaveText('1');
  await expect(results.locator('[data-testid=class-results-question][data-step="3"] [data-testid=class-results-answer]')).toHaveText('Not revealed in class.');
  await teacher.screenshot({ path: testInfo.outputPath('live-class-results.png') });
  await expect(student.getByTestId('live-ended')).toBeVisible();
  await expect(student.getByTestId('live-histogram')).toHaveCount(0);
  await expect(student.getByTestId('class-results')).toHaveCount(0);

  // A reload after the end does not go live again; the answers stay under past classes.
  await teacher.reload();
  await expect(teacher.getByTestId('node-gpt2').getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/);
  await expect(teacher.getByTestId('presenter')).toHaveCount(0);
  await teacher.getByTestId('open-lesson').click();
  await expect(teacher.getByTestId('go-live')).toHaveText('Go live');
  await teacher.locator(`[data-testid=past-class][data-code="${code}"]`).getByTestId('past-class-open').click();
  await expect(teacher.getByTestId('class-results-meta')).toContainText(`Code ${code}`);
  await expect(teacher.getByTestId('class-results-meta')).toContainText('1 student');
  await expect(teacher.locator('[data-testid=class-results-question][data-step="2"] [data-testid=class-results-answer]')).toHaveText('The graph said: 4');
  await teacherContext.close();
  await studentContext.close();
});
