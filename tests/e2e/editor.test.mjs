// The editor as a learner uses it: errors at their line with a did-you-mean fix, Delete
// (kubectl delete -f), Reset, autosave across reloads, keyboard only, and a 5,000-line paste that
// keeps typing fast.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openPage, screenshot } from './harness.mjs';

const env = useBrowser();

const pod = (name, extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels:
    app: web
spec:
  containers:
  - name: web
    image: httpd:2.4
${extra}`;

const chip = (page, name) => page.locator(`[data-testid="pod"][data-pod="default/${name}"]`);
const editorValue = (page) => page.getByTestId('yaml-editor').inputValue();

test('did-you-mean: the fix button renames lables, and Apply then works', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url);
  await page.getByTestId('yaml-editor').fill(pod('typo').replace('  labels:', '  lables:'));
  await page.getByTestId('apply-button').click();

  const err = page.getByTestId('editor-error');
  await err.waitFor();
  assert.equal(await err.getAttribute('data-line'), '5');
  assert.match(await err.textContent(), /unknown field "metadata.lables"/);
  // The line is marked in the gutter, with the message as its tooltip.
  const mark = page.locator('.gutter .gl.err[data-line="5"]');
  assert.equal(await mark.count(), 1);
  assert.match(await mark.getAttribute('title'), /did you mean "labels"\?/);
  assert.equal(await chip(page, 'typo').count(), 0, 'nothing was created');
  await screenshot(page, 'editor-did-you-mean');

  const fix = page.getByTestId('fix-button');
  assert.equal(await fix.getAttribute('data-from'), 'lables');
  assert.equal(await fix.getAttribute('data-to'), 'labels');
  await fix.click();
  assert.equal(await editorValue(page), pod('typo'), 'only the word was replaced');
  assert.equal(await page.getByTestId('fix-button').count(), 0, 'an applied fix is not offered again');

  await page.getByTestId('apply-button').click();
  await chip(page, 'typo').waitFor();
  assert.match(await page.getByTestId('apply-results').textContent(), /pod\/typo created/);
  assert.equal(await page.getByTestId('editor-error').count(), 0);
  assert.deepEqual(errors, []);
});

test('Delete is kubectl delete -f of the editor text; Reset starts an empty cluster', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url);
  await page.getByTestId('time-speed').selectOption('10');
  await page.getByTestId('yaml-editor').fill(`${pod('one')}---\n${pod('two')}`);
  await page.getByTestId('apply-button').click();
  await page.locator('[data-testid="pod"][data-pod="default/one"][data-status="Running"]').waitFor({ timeout: 30_000 });
  await page.locator('[data-testid="pod"][data-pod="default/two"][data-status="Running"]').waitFor({ timeout: 30_000 });

  await page.getByTestId('delete-button').click();
  const results = page.getByTestId('apply-results');
  assert.equal(
    await results.textContent(),
    'pod "one" deleted from default namespace' + 'pod "two" deleted from default namespace',
  );
  // Graceful deletion: Terminating, then gone.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="pod"]').length === 0, null, { timeout: 60_000 });
  // Nothing left to delete: the apiserver's NotFound.
  await page.getByTestId('delete-button').click();
  assert.match(await results.textContent(), /Error from server \(NotFound\): pods "one" not found/);

  // Reset: a new cluster (clock back to zero, no objects), the editor keeps its text.
  await page.getByTestId('apply-button').click();
  await chip(page, 'one').waitFor();
  await page.getByTestId('time-pause').click();
  await page.getByTestId('reset-button').click();
  assert.equal(await page.getByTestId('pod').count(), 0);
  assert.equal(await page.getByTestId('clock').textContent(), '00:00');
  assert.equal(await page.getByTestId('node').count(), 3);
  assert.equal(await editorValue(page), `${pod('one')}---\n${pod('two')}`);
  assert.match(await results.textContent(), /A new, empty cluster/);
  assert.deepEqual(errors, []);
});

test('the editor text autosaves and survives a reload, even when it is not valid YAML', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url);
  const broken = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n  # half-typed: ';
  await page.getByTestId('yaml-editor').fill(broken);
  // Keystrokes count too, not only pastes.
  await page.getByTestId('yaml-editor').press('End');
  await page.keyboard.type('né 한글');
  assert.equal(await page.getByTestId('autosave-status').textContent(), 'Saved in this browser');
  await page.reload();
  await page.getByTestId('apply-button').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid=yaml-editor]').value !== '');
  assert.equal(await editorValue(page), `${broken}né 한글`);
  assert.match(await page.getByTestId('editor-meta').textContent(), /^5 lines/);
  assert.deepEqual(errors, []);
});

test('keyboard only: Tab reaches the editor, Ctrl+Enter applies, Enter and Space press buttons', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url);
  await page.getByTestId('time-speed').selectOption('10');
  // From the top of the page, Tab until the editor has focus (the skip link comes first).
  await page.locator('body').focus();
  const order = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => document.activeElement?.dataset?.testid ?? document.activeElement?.className);
    order.push(id);
    if (id === 'yaml-editor') break;
  }
  assert.equal(order.at(-1), 'yaml-editor', order.join(' > '));
  assert.deepEqual(order.slice(0, 3), ['skip-link', 'lesson-picker', 'time-pause'], order.join(' > '));
  // The focused editor is visibly outlined.
  const ring = await page.getByTestId('code-editor').evaluate((el) => getComputedStyle(el).outlineStyle);
  assert.equal(ring, 'solid');

  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(pod('keys'));
  await page.keyboard.press('Control+Enter');
  await chip(page, 'keys').waitFor();
  assert.match(await page.getByTestId('apply-results').textContent(), /pod\/keys created/);
  assert.equal(await editorValue(page), pod('keys'), 'Ctrl+Enter did not insert a newline');

  // Tab leaves the textarea to Apply; Enter presses it (unchanged), Tab then Space presses Delete.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'apply-button');
  const outline = await page.getByTestId('apply-button').evaluate((el) => getComputedStyle(el).outlineStyle);
  assert.equal(outline, 'solid', 'focus is visible on buttons');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /pod\/keys unchanged/.test(document.querySelector('[data-testid=apply-results]').textContent));
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'delete-button');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => /pod "keys" deleted/.test(document.querySelector('[data-testid=apply-results]').textContent));
  await screenshot(page, 'editor-keyboard');
  assert.deepEqual(errors, []);
});

test('multi-document text: separators are marked with their document number', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url);
  await page.getByTestId('yaml-editor').fill(`${pod('a')}---\n${pod('b')}---\n${pod('c')}`);
  await page.getByTestId('yaml-editor').evaluate((el) => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); });
  const labels = page.locator('.code-layer .doc-label');
  await page.waitForFunction(() => document.querySelectorAll('.code-layer .doc-label').length === 2);
  assert.deepEqual(await labels.allTextContents(), ['document 2', 'document 3']);
  // Keys and values are coloured.
  assert.equal(await page.locator('.code-layer .cl').first().locator('.t-key').textContent(), 'apiVersion');
  await screenshot(page, 'editor-documents');
  assert.deepEqual(errors, []);
});

test('a 5,000-line paste stays responsive: typing cost does not grow with the text', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url, undefined, { permissions: ['clipboard-read', 'clipboard-write'] });
  await page.getByTestId('time-pause').click();
  const ta = page.getByTestId('yaml-editor');

  // Milliseconds from each keydown to the next animation frame (event handling, autosave, the
  // line pass and the render all happen before it).
  const typingCost = async (chars) => {
    await page.evaluate(() => {
      window.__keyCosts = [];
      window.__onKey = () => {
        const t0 = performance.now();
        requestAnimationFrame(() => window.__keyCosts.push(performance.now() - t0));
      };
      window.addEventListener('keydown', window.__onKey, true);
    });
    await page.keyboard.type(chars, { delay: 20 });
    await page.waitForTimeout(100);
    return page.evaluate(() => {
      window.removeEventListener('keydown', window.__onKey, true);
      const c = [...window.__keyCosts].sort((a, b) => a - b);
      return { median: c[Math.floor(c.length / 2)], max: c.at(-1), n: c.length };
    });
  };

  await ta.fill(pod('small'));
  await ta.press('Control+Home');
  const small = await typingCost('# small text typing\n');

  const doc = pod('p');
  const docLines = doc.split('\n').length - 1;
  const count = Math.ceil(5000 / (docLines + 1));
  const big = Array.from({ length: count }, (_, i) => pod(`p${i}`)).join('---\n');
  const lines = big.split('\n').length;
  assert.ok(lines >= 5000, `${lines} lines`);
  // A real paste (Ctrl+V from the clipboard): one edit, one input event. (Playwright's fill()
  // types multi-line text line by line, which is slow in any textarea.)
  await page.evaluate((text) => navigator.clipboard.writeText(text), big);
  await ta.focus();
  await page.keyboard.press('Control+A');
  const t0 = Date.now();
  await page.keyboard.press('Control+V');
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
  const pasteMs = Date.now() - t0;
  await page.waitForFunction((n) => document.querySelector('[data-testid=editor-meta]').textContent.startsWith(`${n} lines`), lines);
  assert.equal(await editorValue(page), big);
  // Typing at the top of the text (the worst place: everything after it moves).
  await ta.press('Control+Home');
  const large = await typingCost('# large text typing\n');
  console.log(`typing, keydown→next frame: ${small.median.toFixed(1)} ms median (max ${small.max.toFixed(1)}) with ${doc.split('\n').length} lines; ` +
    `${large.median.toFixed(1)} ms median (max ${large.max.toFixed(1)}) with ${lines} lines; Ctrl+V of ${lines} lines shown in ${pasteMs} ms`);
  assert.equal(large.n, '# large text typing\n'.length);
  // A guard against per-keystroke work that grows with the text (hundreds of ms), loose enough
  // for a loaded 2-core machine; the numbers themselves go to BENCHMARKS.md, not into asserts.
  assert.ok(large.median < 100, `median keystroke ${large.median} ms with ${lines} lines`);
  assert.ok((await editorValue(page)).startsWith('# large text typing\napiVersion: v1\n'));

  // Only the lines in view are in the DOM, and scrolling to the end shows the last line numbers.
  assert.ok((await page.locator('.code-layer .cl').count()) < 150);
  await ta.evaluate((el) => { el.scrollTop = el.scrollHeight; el.dispatchEvent(new Event('scroll')); });
  await page.locator(`.gutter .gl[data-line="${lines + 1}"]`).waitFor();
  await screenshot(page, 'editor-5000-lines');
  assert.deepEqual(errors, []);
});
