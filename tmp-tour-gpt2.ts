import { chromium } from '@playwright/test';
import LZString from 'lz-string';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './tests/chromium';
import { SOTU_1862_EXCERPT } from './nodes/text/corpus-sample';
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
const errors: string[] = [];
page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
page.on('pageerror', (e) => errors.push(String(e)));
const doc = { schemaVersion: 1, title: 'gpt2 small', nodes: [
 { id: 'corpus', type: 'text', params: { text: SOTU_1862_EXCERPT.slice(0, 12000) }, position: { x: 0, y: 0 } },
 { id: 'tok', type: 'pretrained', params: { model: 'gpt2' }, position: { x: 340, y: 0 } },
 { id: 'train', type: 'train-model', params: { preset: process.argv[2] ?? 'small', steps: 2, evalEvery: 1, sampleEvery: 1 }, position: { x: 680, y: 0 } }],
 edges: [ { id: 'a', source: 'corpus', sourcePort: 'text', target: 'tok', targetPort: 'text' }, { id: 'b', source: 'tok', sourcePort: 'tokenizer', target: 'train', targetPort: 'tokenizer' }, { id: 'c', source: 'corpus', sourcePort: 'text', target: 'train', targetPort: 'corpus' }] };
const t0 = Date.now();
await page.goto(`http://127.0.0.1:3242/#g=${LZString.compressToEncodedURIComponent(JSON.stringify(doc))}`);
const node = page.getByTestId('node-train');
await node.getByTestId('node-status').and(page.locator('[data-status="done"], [data-status="cached"], [data-status="error"]')).waitFor({ timeout: 500_000 });
console.log('finished at', (Date.now() - t0) / 1000, await node.getByTestId('node-status').getAttribute('data-status'));
await node.locator('span.font-semibold').first().click();
await page.waitForTimeout(1000);
console.log((await page.getByTestId('inspector').innerText()).slice(0, 1500));
console.log('errors', errors);
await browser.close();
