import { expect, test } from '@playwright/test';

test('a link to a graph that was never saved answers 404 with the friendly page', async ({ page }) => {
  for (const id of ['AAAAAAAAAAAAAAAAAAAAAA', 'not-an-id']) {
    const response = await page.goto(`/g/${id}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('No graph at this link');
    await expect(page.getByText('The link may be mistyped, or the graph was never saved on this server.')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Open the lab' })).toHaveAttribute('href', '/');
  }
});
