import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { openLab } from './helpers';

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

test('Share → Open in JupyterLab downloads a plain .ipynb for a graph that reads no files', async ({ page }) => {
  await openLab(page);
  await page.getByTestId('share').click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Open in JupyterLab (.ipynb)' }).click();
  expect((await download).suggestedFilename()).toBe('from-text-to-pieces.ipynb');
  const notebook = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as { nbformat: number; cells: { source: string[] }[] };
  expect(notebook.nbformat).toBe(4);
  expect(notebook.cells[0]!.source.join('')).toContain('pip install tokenizers transformers torch');
});

test('the GPT-2 chain downloads as a zip whose standard-library cell reproduces the lab’s IDs', async ({ page }) => {
  await page.goto('/?template=gpt2-chain');
  await expect(page.getByTestId('node-decode').getByTestId('node-status')).toHaveAttribute('data-status', /done|cached/);
  await page.getByTestId('share').click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Open in JupyterLab (.ipynb)' }).click();
  expect((await download).suggestedFilename()).toBe('gpt-2-step-by-step.zip');
  const entries = unzipSync(new Uint8Array(readFileSync(await (await download).path())));
  const root = 'gpt-2-step-by-step/';
  expect(Object.keys(entries)).toEqual(expect.arrayContaining([`${root}gpt-2-step-by-step.ipynb`, `${root}tokenizers/gpt2/tokenizer.json`]));

  const dir = mkdtempSync(join(tmpdir(), 'tokenloom-e2e-nb-'));
  for (const [name, bytes] of Object.entries(entries)) {
    if (name.endsWith('/')) continue;
    const target = join(dir, name);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  }
  const notebook = JSON.parse(strFromU8(entries[`${root}gpt-2-step-by-step.ipynb`]!)) as { cells: { id: string; cell_type: string; source: string[] }[] };
  const text = notebook.cells.map((c) => c.source.join('')).join('\n');
  expect(text).toContain('expected_ids = [40, 1842, 399, 19930');
  const stdlib = notebook.cells.find((c) => c.cell_type === 'code' && c.id.endsWith('-stdlib'))!;
  writeFileSync(join(dir, root, 'check.py'), stdlib.source.join(''));
  const run = spawnSync(PYTHON, ['check.py'], { cwd: join(dir, root), encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.stdout).toContain('MATCH');
});
