// Lessons on the page: pick one, do what its instructions say through the page (editor Apply,
// terminal commands, faster time), and watch the engine tick its goals off; then read it in Korean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openPage, screenshot } from './harness.mjs';

const env = useBrowser();

async function pickLesson(page, name) {
  const value = await page.locator(`[data-testid="lesson-picker"] option[data-lesson="${name}"]`).getAttribute('value');
  await page.getByTestId('lesson-picker').selectOption(value);
  await page.locator(`[data-testid="lesson-panel"][data-lesson="${name}"]`).waitFor();
}

const goals = (page) => page.getByTestId('lesson-goal');

async function doneFlags(page) {
  return goals(page).evaluateAll((els) => els.map((e) => e.dataset.done));
}

async function waitAllDone(page, timeout = 30_000) {
  await page.waitForFunction(() => {
    const gs = [...document.querySelectorAll('[data-testid="lesson-goal"]')];
    return gs.length > 0 && gs.every((g) => g.dataset.done === 'true');
  }, null, { timeout });
}

async function run(page, line) {
  const input = page.getByTestId('terminal-input');
  await input.fill(line);
  await input.press('Enter');
}

test('first pod: Apply the lesson manifest, the goals tick off, the text reads in Korean', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url, { width: 1280, height: 800 }, { locale: 'en-US' });
  await pickLesson(page, 'first-pod');
  assert.equal(await page.getByTestId('lesson-title').textContent(), 'Your first pod');
  assert.equal(await goals(page).count(), 4);
  assert.deepEqual(await doneFlags(page), ['false', 'false', 'false', 'false'], 'nothing is reached before the learner acts');
  // The lesson put its manifest into the editor; the cluster starts empty.
  assert.match(await page.getByTestId('yaml-editor').inputValue(), /name: web\n/);
  assert.equal(await page.locator('[data-testid="pod"]').count(), 0);
  await screenshot(page, 'lesson-first-pod-start');

  await page.getByTestId('time-speed').selectOption('10');
  await page.getByTestId('apply-button').click();
  await page.locator('[data-testid="pod"][data-pod="default/web"][data-status="Running"]').waitFor({ timeout: 30_000 });
  await waitAllDone(page);
  await page.getByTestId('lesson-done').waitFor();
  assert.equal(await page.getByTestId('lesson-count').textContent(), '4 of 4');
  await run(page, 'get pods -o wide');
  await screenshot(page, 'lesson-first-pod-done');

  await page.getByTestId('lang-switch').selectOption('ko');
  assert.equal(await page.getByTestId('lesson-title').textContent(), '첫 번째 파드');
  assert.match(await page.getByTestId('lesson-instructions').textContent(), /파드는 쿠버네티스가 실행하는 가장 작은 단위/);
  assert.match(await goals(page).first().textContent(), /스케줄러가 파드 web을 노드에 배치합니다/);
  assert.equal(await page.getByTestId('lesson-count').textContent(), '4개 중 4개');
  assert.match(await page.locator('[data-testid="lesson-picker"] option[data-lesson="first-pod"]').textContent(), /첫 번째 파드/);
  await screenshot(page, 'lesson-first-pod-ko');

  // Start over: the cluster goes back to the lesson's start and the goals clear.
  await page.getByTestId('lesson-restart').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="pod"]').length === 0);
  assert.deepEqual(await doneFlags(page), ['false', 'false', 'false', 'false']);
  assert.deepEqual(errors, []);
});

test('services and endpoints: pre-applied pods, Services applied, labels and deletes from the terminal', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url, { width: 1280, height: 800 }, { locale: 'en-US' });
  await pickLesson(page, 'services-endpoints');
  // This lesson applies its six pods when it loads; the Services are for the learner.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="pod"]').length === 6);
  assert.equal(await page.locator('[data-testid="service"]').count(), 0);
  await page.getByTestId('time-speed').selectOption('10');
  await page.getByTestId('apply-button').click();
  await page.waitForFunction(() => document.querySelector('[data-service="default/svc-for-web"]')?.dataset.endpoints === '2', null, { timeout: 30_000 });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="lesson-goal"][data-done="true"]').length === 2, null, { timeout: 30_000 });
  assert.deepEqual(await doneFlags(page), ['true', 'true', 'false', 'false']);

  await run(page, 'label pod pod-2 type=web --overwrite');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="lesson-goal"]')[2].dataset.done === 'true', null, { timeout: 10_000 });
  await run(page, 'delete pod pod-4');
  await waitAllDone(page);
  await run(page, 'get endpoints');
  assert.match(await page.getByTestId('terminal-output').textContent(), /svc-for-production\s+10\.244\./);
  await screenshot(page, 'lesson-services-done');

  // Free play again: an empty cluster, no lesson panel.
  await page.getByTestId('lesson-picker').selectOption('');
  await page.getByTestId('lesson-panel').waitFor({ state: 'detached' });
  assert.equal(await page.locator('[data-testid="pod"]').count(), 0);
  assert.deepEqual(errors, []);
});

test('the picker works from the keyboard', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url, undefined, { locale: 'en-US' });
  await page.locator('body').focus();
  await page.keyboard.press('Tab'); // the skip link
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'lesson-picker');
  await page.keyboard.press('ArrowDown');
  await page.locator('[data-testid="lesson-panel"][data-lesson="first-pod"]').waitFor();
  await page.keyboard.press('ArrowDown');
  await page.locator('[data-testid="lesson-panel"][data-lesson="multi-container"]').waitFor();
  assert.equal(await goals(page).count(), 5);
  assert.deepEqual(errors, []);
});

test('crash loop: the goals follow the back-off as time runs fast', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url, { width: 1280, height: 800 }, { locale: 'ko-KR' });
  await pickLesson(page, 'crash-loop');
  assert.equal(await page.getByTestId('lesson-title').textContent(), '재시작 정책과 CrashLoopBackOff');
  await page.getByTestId('time-speed').selectOption('60');
  await page.getByTestId('apply-button').click();
  await waitAllDone(page, 60_000);
  await screenshot(page, 'lesson-crash-loop-ko');
  assert.deepEqual(errors, []);
});
