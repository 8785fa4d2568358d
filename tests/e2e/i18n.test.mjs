// Korean and English: the default follows the browser's language, the switch keeps every piece
// of state (editor text, cluster, selection, terminal output and history) and is remembered;
// kubectl's own words stay English. And the layout holds at 1280×720 and 1920×1080.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openPage, screenshot } from './harness.mjs';

const env = useBrowser();

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  containers:
  - name: web
    image: httpd:2.4
`;

const heading = (page) => page.locator('#editor-heading').textContent();

test('the default language follows the browser (ko-KR → Korean, en-US → English)', async () => {
  const ko = await openPage(env.browser, env.server.url, undefined, { locale: 'ko-KR' });
  assert.equal(await heading(ko.page), '매니페스트');
  assert.equal(await ko.page.getByTestId('apply-button').textContent(), '적용');
  assert.equal(await ko.page.getByTestId('lang-switch').inputValue(), 'ko');
  assert.equal(await ko.page.evaluate(() => document.documentElement.lang), 'ko');
  await screenshot(ko.page, 'i18n-default-ko');
  assert.deepEqual(ko.errors, []);

  const en = await openPage(env.browser, env.server.url, undefined, { locale: 'en-US' });
  assert.equal(await heading(en.page), 'Manifest');
  assert.equal(await en.page.getByTestId('lang-switch').inputValue(), 'en');
  assert.equal(await en.page.evaluate(() => document.documentElement.lang), 'en');
  assert.deepEqual(en.errors, []);
});

test('switching the language keeps all state and is remembered', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url, undefined, { locale: 'en-US' });
  await page.getByTestId('time-speed').selectOption('10');
  const text = `${POD}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\n  lables: {}\n`;
  await page.getByTestId('yaml-editor').fill(text);
  await page.getByTestId('apply-button').click();
  const running = page.locator('[data-testid="pod"][data-pod="default/web"][data-status="Running"]');
  await running.waitFor({ timeout: 30_000 });
  await running.click();
  await page.waitForFunction(() => (document.querySelector('[data-testid=inspector-text]')?.textContent ?? '').startsWith('Name:'));
  const input = page.getByTestId('terminal-input');
  await input.fill('get pods');
  await input.press('Enter');
  await page.waitForFunction(() => /web\s+1\/1\s+Running/.test(document.querySelector('[data-testid=terminal-output]').textContent));
  const terminalBefore = await page.getByTestId('terminal-output').textContent();
  const errEn = await page.getByTestId('editor-error').textContent();
  assert.match(errEn, /^document 2, line 16, column 3: Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "metadata.lables"/);
  const clockBefore = await page.getByTestId('clock').textContent();

  await page.getByTestId('lang-switch').selectOption('ko');
  assert.equal(await heading(page), '매니페스트');
  // Same text, same cluster, same selection, same terminal; the engine's Korean message.
  assert.equal(await page.getByTestId('yaml-editor').inputValue(), text);
  assert.equal(await running.count(), 1);
  assert.equal(await page.locator('[data-testid="pod"].selected').getAttribute('data-pod'), 'default/web');
  assert.match(await page.getByTestId('inspector-text').textContent(), /^Name:\s+web\n/);
  assert.ok((await page.getByTestId('terminal-output').textContent()).startsWith(terminalBefore));
  assert.ok((await page.getByTestId('clock').textContent()) >= clockBefore, 'the clock kept running');
  const errKo = await page.getByTestId('editor-error').textContent();
  assert.match(errKo, /^문서 2, 16번째 줄 3번째 열: 엄격한 디코딩 오류: 알 수 없는 필드 "metadata.lables"/);
  assert.match(errKo, /혹시 "labels"을\(를\) 쓰려던 것인가요\?/);
  assert.equal(await page.getByTestId('editor-error').getAttribute('data-line'), '16');
  // kubectl's words stay English: phases and the STATUS column, apply results.
  assert.equal(await running.locator('.pod-status').textContent(), 'Running');
  assert.match(await page.getByTestId('apply-results').textContent(), /pod\/web created/);
  assert.match(await page.locator('.lane h3').textContent(), /Pending/);
  // Terminal history survived: ArrowUp brings back the last command.
  await input.focus();
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'get pods');
  await screenshot(page, 'i18n-switched-ko');

  // Remembered over the browser's language.
  await page.reload();
  await page.getByTestId('apply-button').waitFor();
  assert.equal(await heading(page), '매니페스트');
  assert.equal(await page.getByTestId('lang-switch').inputValue(), 'ko');
  assert.equal(await page.getByTestId('yaml-editor').inputValue(), text);
  await page.getByTestId('lang-switch').selectOption('en');
  assert.equal(await heading(page), 'Manifest');
  assert.deepEqual(errors, []);
});

/** The main panels: inside the viewport, nothing spilling out of them, the page not scrolling. */
async function panelBoxes(page) {
  return page.evaluate(() => {
    const out = {};
    for (const sel of ['.topbar', '.editor', '.terminal', '.cluster', '.inspector']) {
      const el = document.querySelector(sel);
      const r = el.getBoundingClientRect();
      out[sel] = {
        x: r.x, y: r.y, w: r.width, h: r.height,
        spillX: el.scrollWidth > el.clientWidth + 1,
      };
    }
    out.pageScrolls = document.documentElement.scrollHeight > innerHeight || document.documentElement.scrollWidth > innerWidth;
    return out;
  });
}

for (const [width, height] of [[1280, 720], [1920, 1080]]) {
  test(`layout at ${width}×${height}: panels fit, nothing overflows, nothing jumps`, async () => {
    const { page, errors } = await openPage(env.browser, env.server.url, { width, height }, { locale: 'en-US' });
    const before = await panelBoxes(page);
    assert.equal(before.pageScrolls, false);
    for (const [sel, b] of Object.entries(before)) {
      if (sel === 'pageScrolls') continue;
      assert.ok(b.x >= 0 && b.y >= 0 && b.x + b.w <= width && b.y + b.h <= height, `${sel} ${JSON.stringify(b)}`);
      assert.equal(b.spillX, false, `${sel} overflows horizontally`);
    }
    // The editor shows a useful number of lines.
    const codeHeight = await page.getByTestId('code-editor').evaluate((el) => el.clientHeight);
    assert.ok(codeHeight >= 10 * 20, `editor is ${codeHeight}px high`);

    // Applying (results, errors with long messages, pods, services) and switching the language
    // move nothing.
    await page.getByTestId('time-speed').selectOption('10');
    const many = Array.from({ length: 6 }, (_, i) => POD.replace('name: web\n  labels', `name: web-${i}\n  labels`)).join('---\n');
    await page.getByTestId('yaml-editor').fill(`${many}---\n${POD.replace('labels', 'lables')}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n`);
    await page.getByTestId('apply-button').click();
    await page.locator('[data-testid="pod"][data-status="Running"]').first().waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="pod"]').first().click();
    const input = page.getByTestId('terminal-input');
    await input.fill('describe pod web-0');
    await input.press('Enter');
    await screenshot(page, `layout-${width}x${height}-en`);
    const afterApply = await panelBoxes(page);
    await page.getByTestId('lang-switch').selectOption('ko');
    await screenshot(page, `layout-${width}x${height}-ko`);
    const afterSwitch = await panelBoxes(page);
    for (const sel of ['.topbar', '.editor', '.terminal', '.cluster', '.inspector']) {
      for (const state of [afterApply, afterSwitch]) {
        assert.deepEqual({ ...state[sel], spillX: undefined }, { ...before[sel], spillX: undefined }, `${sel} moved`);
        assert.equal(state[sel].spillX, false, `${sel} overflows horizontally`);
      }
    }
    assert.equal(afterSwitch.pageScrolls, false);
    assert.deepEqual(errors, []);
  });
}
