// The restart back-off timeline: a crash-looping pod gets a lane per container, a marker per
// restart, the back-off waits with a live countdown, and a click on the lane shows the pod as it
// was at that moment in the inspector. The real release build and engine, no mocks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { useBrowser, openPage, screenshot, ARTIFACTS } from './harness.mjs';

const env = useBrowser();

const CRASHER = `apiVersion: v1
kind: Pod
metadata:
  name: crasher
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "sleep 2; exit 1"]
`;

const countdownSeconds = async (page) => {
  const text = await page.locator('[data-testid="timeline-countdown"]').first().textContent({ timeout: 1_000 }).catch(() => null);
  const m = /next restart in (\d+) s/.exec(text ?? '');
  return m ? Number(m[1]) : null;
};

test('a crash-looping pod: lane, restarts, back-off countdown, the inspector at a moment', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url, { width: 1400, height: 1000 });
  await page.getByTestId('time-speed').selectOption('10');
  await page.getByTestId('yaml-editor').fill(CRASHER);
  await page.getByTestId('apply-button').click();

  const timeline = page.getByTestId('timeline');
  const lane = timeline.locator('[data-testid="timeline-lane"][data-pod="default/crasher"][data-container="app"]');
  await lane.waitFor({ timeout: 10_000 });
  assert.equal(await timeline.locator('[data-testid="timeline-lane"]').count(), 1);

  // The first back-off (10 s after the second exit) shows a countdown that goes down.
  await page.locator('[data-testid="timeline-countdown"]').waitFor({ timeout: 20_000 });
  const first = await countdownSeconds(page);
  assert.ok(first !== null && first >= 1 && first <= 10, `countdown ${first}`);
  await page.waitForFunction(
    (start) => {
      const m = /next restart in (\d+) s/.exec(document.querySelector('[data-testid="timeline-countdown"]')?.textContent ?? '');
      return m && Number(m[1]) < start;
    },
    first,
    { timeout: 10_000 },
  );
  await screenshot(page, 'timeline-backoff');

  // 30×: restarts pile up (immediately, then after 10 s and 20 s of back-off).
  await page.getByTestId('time-speed').selectOption('30');
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid="timeline-lane"][data-pod="default/crasher"] [data-testid="timeline-restart"]').length >= 3,
    null,
    { timeout: 30_000 },
  );
  const restarts = await lane.locator('[data-testid="timeline-restart"]').evaluateAll((els) => els.map((e) => Number(e.dataset.count)));
  assert.deepEqual(restarts.slice(0, 3), [1, 2, 3]);
  // The lengths of the waits before restarts 2 and 3: upstream's 10 s then 20 s.
  // Read them over the whole run ("All"): on a slow machine the default window may already have
  // scrolled past the first waits.
  // Paused first, so the window does not move while it is read.
  await page.getByTestId('time-pause').click();
  await page.getByTestId('timeline-fit').click();
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid="timeline-lane"][data-pod="default/crasher"] [data-testid="timeline-backoff"]').length >= 2,
    null,
    { timeout: 10_000 },
  );
  const backoffs = await lane.locator('[data-testid="timeline-backoff"]').evaluateAll((els) => els.map((e) => Number(e.dataset.backoff)));
  assert.deepEqual(backoffs.slice(0, 2), [10_000, 20_000]);
  // The lane shows the states it went through.
  const states = await lane.locator('.tl-seg').evaluateAll((els) => els.map((e) => e.dataset.state));
  for (const s of ['ContainerCreating', 'Running (ready)', 'Error (exit code 1)', 'CrashLoopBackOff']) {
    assert.ok(states.includes(s), `${s} in ${states}`);
  }
  // And the 40 s back-off counts down too (time runs again).
  await page.getByTestId('time-play').click();
  await page.locator('[data-testid="timeline-countdown"]').waitFor({ timeout: 20_000 });
  const c1 = await countdownSeconds(page);
  await page.waitForFunction(
    (start) => {
      const m = /next restart in (\d+) s/.exec(document.querySelector('[data-testid="timeline-countdown"]')?.textContent ?? '');
      return m && Number(m[1]) < start;
    },
    c1,
    { timeout: 10_000 },
  );
  await page.getByTestId('time-pause').click();
  await screenshot(page, 'timeline-restarts');
  await timeline.screenshot({ path: join(ARTIFACTS, 'timeline-panel.png') });

  // Zoom in and out: the window's span label changes.
  const span = timeline.locator('.tl-span');
  const before = await span.textContent();
  await page.getByTestId('timeline-zoom-in').click();
  assert.notEqual(await span.textContent(), before);
  await page.getByTestId('timeline-fit').click();
  assert.equal(await span.textContent(), before);

  // Click early on the lane (while the first container ran): the inspector shows the pod then.
  const track = lane.locator('.tl-track');
  const box = await track.boundingBox();
  const firstRun = lane.locator('.tl-seg[data-state="Running (ready)"]').first();
  const running = await firstRun.boundingBox();
  await page.mouse.click(running.x + running.width / 2, box.y + box.height / 2);
  const asOf = page.getByTestId('inspector-as-of');
  await asOf.waitFor();
  // The moment picked lies within that first run (mm:ss of virtual time).
  const [mm, ss] = (await asOf.getAttribute('data-clock')).split(':').map(Number);
  const from = Number(await firstRun.getAttribute('data-from'));
  const to = Number(await firstRun.getAttribute('data-to'));
  assert.ok(mm * 60 + ss >= Math.floor(from / 1000) && mm * 60 + ss <= Math.ceil(to / 1000), `${mm}:${ss} in ${from}..${to}`);
  const text = await page.getByTestId('inspector-text').textContent();
  assert.match(text, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\ncrasher\s+1\/1\s+Running\s+0\s+\ds\n/);
  assert.match(text, /\napiVersion: v1\nkind: Pod\n/);
  assert.ok(await lane.locator('[data-testid="timeline-moment"]').count() === 1);
  await screenshot(page, 'timeline-as-of');

  // A later moment, in the first back-off wait (after the immediate first restart): RESTARTS 1.
  const wait = await lane.locator('.tl-seg[data-state="CrashLoopBackOff"]').first().boundingBox();
  await page.mouse.click(wait.x + wait.width / 2, box.y + box.height / 2);
  await page.waitForFunction(() => /crasher\s+0\/1\s+CrashLoopBackOff\s+1 \(\d+s ago\)/.test(document.querySelector('[data-testid=inspector-text]').textContent));

  // Back to now: the inspector's tabs again.
  await page.getByTestId('inspector-now').click();
  await page.waitForFunction(() => (document.querySelector('[data-testid=inspector-text]')?.textContent ?? '').startsWith('Name:'));
  assert.equal(await page.getByTestId('inspector-as-of').count(), 0);
  assert.deepEqual(errors, []);
});
