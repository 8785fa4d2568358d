// A learner types kubectl in the page's terminal and inspects a pod: both show the engine's
// kubectl output (the same bytes the kubesim CLI prints).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openPage, screenshot } from './harness.mjs';

const env = useBrowser();

const CRASHER = `apiVersion: v1
kind: Pod
metadata:
  name: crasher
spec:
  containers:
  - name: app
    image: busybox:1.36
`;

test('terminal runs kubectl; -w streams; inspector describes the clicked pod', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url);
  // Pause the clock so the watch starts before the pod moves (the test does not race the clock).
  await page.getByTestId('time-pause').click();
  await page.getByTestId('time-speed').selectOption('10');
  await page.getByTestId('yaml-editor').fill(CRASHER);
  await page.getByTestId('apply-button').click();

  const input = page.getByTestId('terminal-input');
  const output = page.getByTestId('terminal-output');
  await input.fill('get pods -w');
  await input.press('Enter');
  await page.waitForFunction(() => /crasher\s+0\/1\s+Pending/.test(document.querySelector('[data-testid=terminal-output]').textContent));
  await page.getByTestId('time-play').click();
  // The watch streams new rows as the pod goes through its states.
  await page.waitForFunction(
    () => /crasher\s+0\/1\s+CrashLoopBackOff/.test(document.querySelector('[data-testid=terminal-output]').textContent),
    null,
    { timeout: 30_000 },
  );
  const streamed = await output.textContent();
  assert.match(streamed, /^\$ kubectl get pods -w\nNAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
  assert.ok(streamed.split('\n').filter((l) => l.startsWith('crasher')).length >= 3, streamed);

  // History: ArrowUp brings the last command back.
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'get pods -w');
  await input.fill('get pod nope');
  await input.press('Enter');
  await page.waitForFunction(() =>
    document.querySelector('[data-testid=terminal-output]').textContent.includes('Error from server (NotFound): pods "nope" not found'),
  );

  // The inspector shows kubectl describe of the clicked pod, with the back-off event.
  await page.locator('[data-testid="pod"][data-pod="default/crasher"]').click();
  const text = page.getByTestId('inspector-text');
  await page.waitForFunction(() =>
    (document.querySelector('[data-testid=inspector-text]')?.textContent ?? '').includes('Back-off restarting failed container app'),
  );
  const describe = await text.textContent();
  assert.match(describe, /^Name:\s+crasher\nNamespace:\s+default\n/);
  assert.match(describe, /Reason:\s+CrashLoopBackOff/);
  await page.getByTestId('inspector-yaml').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=inspector-text]').textContent.startsWith('apiVersion: v1\nkind: Pod\n'));
  await screenshot(page, 'terminal-and-inspector');

  await input.fill('clear');
  await input.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid=terminal-output]').textContent === '');
  assert.deepEqual(errors, []);
});
