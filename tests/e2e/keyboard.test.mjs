// Keyboard only, as a learner who does not use a mouse: every control is reached with Tab (and
// Shift+Tab) and shows a focus ring, and a whole session runs without the mouse: paste a pod,
// apply, move time, open the pod in the inspector, read its logs, type kubectl, play, switch the
// language. Focus moves only by Tab here (no element.focus() from the test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openPage, screenshot } from './harness.mjs';

const env = useBrowser();

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: busybox:1.36
    command: ['sh', '-c', 'echo hello from web; sleep 3600']
`;

/** What has focus: its test id (or tag), and whether a focus ring is drawn around it. */
const focused = (page) =>
  page.evaluate(() => {
    const e = document.activeElement;
    const ring = (el) => {
      const cs = getComputedStyle(el);
      return (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none';
    };
    // The editor's and the terminal's rings are drawn by the box around them (focus-within).
    const editor = e.closest('.code-editor') || e.closest('.terminal-prompt');
    return {
      id: e.dataset?.testid || e.getAttribute('role') || e.tagName.toLowerCase(),
      text: (e.textContent || '').trim().slice(0, 40),
      ring: e === document.body || ring(e) || (editor ? ring(editor) : false),
    };
  });

/** Presses Tab (or Shift+Tab) until `pred(focused)` holds; fails after `max` presses. */
async function tabTo(page, pred, { back = false, max = 250 } = {}) {
  const path = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (pred(f)) return f;
    path.push(`${f.id}:${f.text.slice(0, 12)}`);
  }
  throw new Error(`not reached by Tab; focus went: ${path.slice(0, 60).join(' ')}`);
}
const byId = (id) => (f) => f.id === id;

test('keyboard only: every control is reached by Tab with a focus ring, and a whole session runs', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url, { width: 1280, height: 720 }, { locale: 'en-US' });
  await page.getByTestId('time-pause').click(); // the one mouse action: a still clock for the checks
  await page.evaluate(() => document.activeElement.blur()); // and back to the top of the page

  // One full round of Tab from the top: the controls of every panel, each with a visible ring.
  const round = [];
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    round.push(await focused(page));
  }
  const ids = round.map((f) => f.id);
  // (Step is disabled while nothing is scheduled, so it is skipped, as disabled buttons are.)
  for (const id of ['lesson-picker', 'lang-switch', 'share-button', 'time-play', 'time-jump-1m',
    'time-jump-5m', 'time-speed', 'time-scrub', 'yaml-editor', 'apply-button', 'delete-button', 'reset-button',
    'terminal-input', 'node-action']) {
    assert.ok(ids.includes(id), `${id} is not reached by Tab: ${ids.join(' ')}`);
  }
  const noRing = round.filter((f) => !f.ring);
  assert.deepEqual(noRing, [], 'every focused control shows a focus ring');
  // Shift+Tab goes back the same way.
  const back = await tabTo(page, byId('terminal-input'), { back: true });
  assert.equal(back.id, 'terminal-input');

  // The session. The editor: type the pod, Ctrl+Enter applies it.
  await tabTo(page, byId('yaml-editor'));
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(POD);
  await page.keyboard.press('Control+Enter');
  await page.locator('[data-testid=pod][data-pod="default/web"]').waitFor();
  // Time: +1 min with Enter.
  await tabTo(page, byId('time-jump-1m'));
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=pod][data-pod="default/web"][data-status=Running]').waitFor();
  // The pod chip is a button: Enter opens it in the inspector.
  await tabTo(page, (f) => f.id === 'pod' && f.text.startsWith('web'));
  await page.keyboard.press('Enter');
  await page.getByTestId('inspector-selected').waitFor();
  assert.match(await page.getByTestId('inspector-text').textContent(), /^Name:\s+web$/m);
  // Its logs tab, with Space.
  await tabTo(page, byId('inspector-logs'));
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.querySelector('[data-testid=inspector-text]')?.textContent.includes('hello from web'));
  // The terminal: type a command, Enter runs it.
  await tabTo(page, byId('terminal-input'), { back: true });
  await page.keyboard.type('kubectl get pods');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /web\s+1\/1\s+Running/.test(document.querySelector('[data-testid=terminal-output]').textContent));
  // Tab completes in the terminal; Esc then Tab leaves it (no keyboard trap).
  await page.keyboard.type('des');
  await page.keyboard.press('Tab');
  assert.equal(await page.getByTestId('terminal-input').inputValue(), 'describe ');
  assert.equal((await focused(page)).id, 'terminal-input');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  assert.notEqual((await focused(page)).id, 'terminal-input');
  await tabTo(page, byId('terminal-input'), { back: true });
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  // Play with Space, the clock runs; pause again.
  const before = await page.getByTestId('clock').textContent();
  await tabTo(page, byId('time-play'), { back: true });
  await page.keyboard.press('Space');
  await page.waitForFunction((b) => document.querySelector('[data-testid=clock]').textContent !== b, before);
  await page.keyboard.press('Space'); // the pause button took the play button's place, focus kept
  // The language: ArrowDown on the switch changes it, everything stays.
  await tabTo(page, byId('lang-switch'), { back: true });
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => document.documentElement.lang === 'ko');
  assert.equal(await page.locator('[data-testid=pod][data-pod="default/web"]').count(), 1);
  await screenshot(page, 'keyboard-session-ko');
  assert.deepEqual(errors, []);
});
