// The foundation's flow, as a learner does it: paste a Pod, Apply, watch it become Running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openPage, screenshot } from './harness.mjs';

const env = useBrowser();

const MANIFEST = `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  containers:
  - name: web
    image: httpd:2.4
    ports:
    - containerPort: 80
`;

test('a pasted pod goes ContainerCreating -> Running on a node', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url);
  assert.equal(await page.getByTestId('node').count(), 3, 'default cluster has three nodes');

  const clockBefore = await page.getByTestId('clock').textContent();
  await page.getByTestId('yaml-editor').fill(MANIFEST);
  await page.getByTestId('apply-button').click();

  const pod = page.locator('[data-testid="pod"][data-pod="default/web"]');
  await pod.waitFor();
  // It is first seen before it runs (Pending or ContainerCreating): the kubelet pulls the image.
  const firstStatus = await pod.getAttribute('data-status');
  assert.match(firstStatus, /^(Pending|ContainerCreating)$/);

  const running = page.locator('[data-testid="pod"][data-pod="default/web"][data-status="Running"]');
  await running.waitFor({ timeout: 30_000 });
  assert.equal(await running.getAttribute('data-phase'), 'Running');
  const node = await running.getAttribute('data-node');
  assert.match(node, /^k8s-worker[12]$/, 'scheduled on a worker, not the tainted control plane');
  // The chip sits inside its node's card.
  assert.equal(await page.locator(`[data-testid="node"][data-node="${node}"] [data-pod="default/web"]`).count(), 1);

  const clockAfter = await page.getByTestId('clock').textContent();
  assert.notEqual(clockAfter, clockBefore, 'the virtual clock runs');
  await screenshot(page, 'first-pod-running');
  assert.deepEqual(errors, []);
});

test('a manifest error is shown with its line, and nothing is created', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url);
  await page.getByTestId('yaml-editor').fill('apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\nspec:\n  containers: 5\n');
  await page.getByTestId('apply-button').click();
  const err = page.getByTestId('editor-error');
  await err.waitFor();
  assert.equal(await err.getAttribute('data-line'), '6');
  assert.equal(await page.locator('[data-testid="pod"]').count(), 0);
  await screenshot(page, 'manifest-error');
  assert.deepEqual(errors, []);
});
