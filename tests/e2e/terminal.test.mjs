// The terminal's input, as in a shell: ↑/↓ walk the history (kept across the language switch and
// a reload of the tab), Tab completes verbs, types and object names from the engine's store and
// lists the candidates when there are several. Release build, real engine, no mocks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openPage, screenshot } from './harness.mjs';

const env = useBrowser();

const PODS = ['nginx-frontend', 'web-1', 'web-2']
  .map((name) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: app
    image: nginx:1.25
`)
  .join('---\n');

async function run(page, line) {
  const input = page.getByTestId('terminal-input');
  await input.fill(line);
  await input.press('Enter');
  await page.waitForFunction((l) => document.querySelector('[data-testid=terminal-output]').textContent.includes(`$ kubectl ${l}\n`), line);
}

test('history with ↑/↓ survives the language switch and a reload', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url);
  const input = page.getByTestId('terminal-input');
  await run(page, 'get pods');
  await run(page, 'get nodes');
  await run(page, 'get nodes');
  await input.fill('get ev');
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'get nodes');
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'get pods', 'a repeated command is kept once');
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'get pods', 'the oldest command stays');
  await input.press('ArrowDown');
  assert.equal(await input.inputValue(), 'get nodes');
  await input.press('ArrowDown');
  assert.equal(await input.inputValue(), 'get ev', 'past the newest command: the line being typed');

  await page.getByTestId('lang-switch').selectOption('ko');
  await input.fill('');
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'get nodes', 'kept across the language switch');

  await page.reload();
  await page.getByTestId('apply-button').waitFor();
  await page.getByTestId('terminal-input').press('ArrowUp');
  assert.equal(await page.getByTestId('terminal-input').inputValue(), 'get nodes', 'kept for the tab session');
  assert.deepEqual(errors, []);
});

test('Tab completes verbs, types and pod names; several candidates are listed', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url);
  await page.getByTestId('yaml-editor').fill(PODS);
  await page.getByTestId('apply-button').click();
  await page.locator('[data-testid="pod"][data-pod="default/web-2"]').waitFor();
  const input = page.getByTestId('terminal-input');

  await input.fill('des');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'describe ');
  await input.pressSequentially('po');
  await input.press('Tab');
  // `po` and `pods` both fit: the common part stays, both are listed.
  assert.equal(await input.inputValue(), 'describe po');
  assert.deepEqual(await page.getByTestId('terminal-candidates').locator('span').allTextContents(), ['po', 'pods']);
  await input.pressSequentially(' ng');
  assert.equal(await page.getByTestId('terminal-candidates').count(), 0, 'typing clears the list');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'describe po nginx-frontend ');

  await input.fill('logs w');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'logs web-');
  assert.deepEqual(await page.getByTestId('terminal-candidates').locator('span').allTextContents(), ['web-1', 'web-2']);
  await screenshot(page, 'terminal-completion-en');
  await input.pressSequentially('2');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'logs web-2 ');

  // Mid-line: the word before the caret is completed, the rest of the line stays.
  await input.fill('get pods ngi -o wide');
  await input.evaluate((el) => el.setSelectionRange(12, 12));
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'get pods nginx-frontend -o wide');
  assert.equal(await input.evaluate((el) => el.selectionStart), 'get pods nginx-frontend'.length);
  await input.press('Enter');
  await page.waitForFunction(() => /nginx-frontend\s+\d\/1/.test(document.querySelector('[data-testid=terminal-output]').textContent));
  const out = await page.getByTestId('terminal-output').textContent();
  assert.match(out, /\$ kubectl get pods nginx-frontend -o wide\nNAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE/);

  await input.fill('cle');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'clear ');
  await input.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid=terminal-output]').textContent === '');

  await page.getByTestId('lang-switch').selectOption('ko');
  await input.fill('get pods web');
  await input.press('Tab');
  assert.deepEqual(await page.getByTestId('terminal-candidates').locator('span').allTextContents(), ['web-1', 'web-2']);
  await screenshot(page, 'terminal-completion-ko');
  assert.deepEqual(errors, []);
});
