// Pods animate through their life in the cluster view: a new chip fades in, a scheduled chip glides
// from the Pending lane into its node, a restart flashes the chip, and a pod that is gone fades out
// as a ghost. The page's own events are recorded (animationstart / transitionstart bubble to the
// document), so the test sees each animation start even when it is over before the next check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openPage, screenshot } from './harness.mjs';

const env = useBrowser();

const CRASHER = `apiVersion: v1
kind: Pod
metadata: {name: crasher}
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: ['sh', '-c', 'echo starting; sleep 2; exit 1']
---
apiVersion: v1
kind: Pod
metadata: {name: sleeper}
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: ['sh', '-c', 'sleep 3600']
`;

const record = () => {
  window.__anims = [];
  const push = (kind) => (e) => {
    const t = e.target;
    window.__anims.push({
      kind,
      name: e.animationName || e.propertyName,
      pseudo: e.pseudoElement || '',
      testid: t.dataset?.testid,
      pod: t.dataset?.pod,
      restarts: t.dataset?.restarts,
    });
  };
  document.addEventListener('animationstart', push('animation'));
  document.addEventListener('transitionstart', push('transition'));
};
const seen = (page, pred) =>
  page.waitForFunction(`window.__anims.some(${pred})`, null, { timeout: 30_000 }).then(() => true);

test('chips animate on create, schedule, restart and removal', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url);
  await page.getByTestId('time-pause').click();
  await page.evaluate(record);

  // Created while time stands still: the chip fades in, in the Pending lane (not scheduled yet).
  await page.getByTestId('yaml-editor').fill(CRASHER);
  await page.getByTestId('apply-button').click();
  const chip = page.locator('[data-testid=pod][data-pod="default/crasher"]');
  await chip.waitFor();
  assert.equal(await page.getByTestId('pending-lane').locator('[data-pod="default/crasher"]').count(), 1);
  assert.ok(await seen(page, `a => a.name === 'pod-in' && a.pod === 'default/crasher'`));

  // The scheduler binds it at the next event: the chip glides from the lane into its node
  // (a transform transition from where the lane drew it) instead of fading in again.
  await page.getByTestId('time-step').click();
  await page.locator('[data-testid=node] [data-pod="default/crasher"]').waitFor();
  assert.match(await chip.getAttribute('class'), /\barriving\b/);
  assert.ok(await seen(page, `a => a.kind === 'transition' && a.name === 'transform' && a.pod === 'default/crasher'`));

  // It crashes and restarts after its back-off: each restart flashes the chip (an overlay fading).
  await page.getByTestId('time-jump-1m').click();
  await page.waitForFunction(() => Number(document.querySelector('[data-pod="default/crasher"]')?.dataset.restarts) >= 1);
  assert.ok(await seen(page, `a => /^pulse-[ab]$/.test(a.name) && a.pseudo === '::after' && a.pod === 'default/crasher'`));
  assert.match(await chip.getAttribute('class'), /\bpulse-[ab]\b/);
  await screenshot(page, 'animation-restart');

  // Deleted: Terminating (dashed, dimmed) for its grace period (sh as PID 1 ignores SIGTERM, so
  // the kubelet waits the 30 s), then gone, fading out as a ghost.
  const sleeper = page.locator('[data-testid=pod][data-pod="default/sleeper"]');
  await page.waitForFunction(() => document.querySelector('[data-pod="default/sleeper"]')?.dataset.status === 'Running');
  await page.getByTestId('terminal-input').fill('kubectl delete pod sleeper --wait=false');
  await page.getByTestId('terminal-input').press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-pod="default/sleeper"]')?.dataset.status === 'Terminating');
  assert.match(await sleeper.getAttribute('class'), /\bdeleting\b/);
  await page.getByTestId('time-jump-1m').click();
  assert.ok(await seen(page, `a => a.name === 'pod-out' && a.testid === 'pod-ghost' && a.pod === 'default/sleeper'`));
  // The ghost goes once it has faded.
  await page.waitForFunction(() => !document.querySelector('[data-pod="default/sleeper"]'), null, { timeout: 10_000 });
  assert.deepEqual(errors, []);
});

test('a big cluster draws chips only in the node cards near the visible part of the panel', async () => {
  // The frame benchmark's cluster: 100 nodes, 2,000 pods, real engine.
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 720 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${env.server.url}?bench=frames`);
  await page.locator('[data-testid=node]').first().waitFor({ timeout: 120_000 });
  const last = page.locator('[data-testid=node]').last();
  // The control plane and 100 workers.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=node]').length === 101);
  const second = page.locator('[data-testid=node]').nth(1);
  // Near the top: chips drawn; far below: a placeholder holding the count.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=node]')[1].querySelectorAll('[data-testid=pod]').length > 0);
  assert.equal(await second.locator('.pods-hidden').count(), 0);
  assert.equal(await last.getByTestId('pod').count(), 0);
  assert.ok(Number(await last.locator('.pods-hidden').getAttribute('data-hidden-pods')) > 0);
  const drawn = await page.locator('[data-testid=node] [data-testid=pod]').count();
  assert.ok(drawn > 0 && drawn < 1000, `chips drawn: ${drawn}`);
  // Scrolled to the end, the last card draws its chips (and the first drops them).
  await page.locator('.cluster.panel').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await page.waitForFunction(() => {
    const cards = document.querySelectorAll('[data-testid=node]');
    return cards[cards.length - 1].querySelectorAll('[data-testid=pod]').length > 0;
  });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=node]')[1].querySelectorAll('[data-testid=pod]').length === 0);
  assert.equal(
    await last.getByTestId('pod').count(),
    Number(await last.getAttribute('data-pods')),
    'every pod of the card is drawn',
  );
  await page.close();
  assert.deepEqual(errors, []);
});
