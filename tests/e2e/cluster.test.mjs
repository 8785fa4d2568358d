// The cluster view as a learner uses it: node cards (capacity bars, taints), pods grouped by
// their owner, a Service's selector explained on hover, and the node buttons that fail a node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openPage, screenshot } from './harness.mjs';

const env = useBrowser();

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        resources: {requests: {cpu: 250m, memory: 256Mi}}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: lonely, labels: {app: other}}
spec:
  containers: [{name: c, image: busybox:1.36, command: ['sleep', '3600']}]
`;

async function applyAndRun(page) {
  await page.getByTestId('yaml-editor').fill(MANIFEST);
  await page.getByTestId('apply-button').click();
  await page.getByTestId('time-jump-1m').click();
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid=pod][data-status=Running]').length === 3,
    null,
    { timeout: 30_000 },
  );
  await page.getByTestId('time-pause').click();
}

test('node cards show requests against allocatable and taints; pods grouped by owner; a Service explains its selector', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url);
  await applyAndRun(page);
  const master = page.locator('[data-testid=node][data-node=k8s-master]');
  assert.match(await master.getByTestId('node-taints').textContent(), /node-role\.kubernetes\.io\/control-plane/);
  // The scheduler kept pods off the tainted control plane; the workers carry 2 × 250m.
  assert.equal(await master.getAttribute('data-pods'), '0');
  const cpu = await page.$$eval('[data-testid=node] [data-testid=node-cpu]', (els) =>
    els.reduce((sum, e) => sum + Number(e.dataset.requested), 0),
  );
  assert.equal(cpu, 500, 'two pods requesting 250m each');
  const mem = await page.$$eval('[data-testid=node] [data-testid=node-memory]', (els) =>
    els.reduce((sum, e) => sum + Number(e.dataset.requested), 0),
  );
  assert.equal(mem, 2 * 256 * 1024 * 1024);
  // The Deployment's two pods sit in groups named after their owner; the bare pod in none.
  const grouped = await page.$$eval('[data-testid=pod-group] [data-testid=pod]', (els) => els.map((e) => e.dataset.pod));
  assert.equal(grouped.filter((p) => p.startsWith('default/web-')).length, 2, grouped.join());
  assert.ok(!grouped.includes('default/lonely'));
  // The Service box is linked to its two endpoint pods (the lines keep their own attributes, so
  // `[data-service=…]` still finds only the box).
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=endpoint-link][data-link-service="default/web"]').length === 2);
  assert.equal(await page.locator('[data-service="default/web"]').count(), 1);
  // Hovering the Service: its two pods picked, the other one passed over with the label that differs.
  await page.locator('[data-testid=service][data-service]').first().hover();
  const panel = page.getByTestId('selector-panel');
  await panel.waitFor();
  assert.equal(await panel.locator('[data-selected=true]').count(), 2);
  const lonely = panel.locator('[data-testid=selector-reason][data-pod="default/lonely"]');
  assert.equal(await lonely.getAttribute('data-selected'), 'false');
  assert.match(await lonely.textContent(), /app=web: pod has app=other/);
  await screenshot(page, 'cluster-selector-hover');
  assert.deepEqual(errors, []);
});

test('Fail on a node: NotReady after the grace period, its pods evicted after 300 s and replaced elsewhere', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url);
  await applyAndRun(page);
  const webPods = () =>
    page.$$eval('[data-testid=pod]', (els) =>
      els.filter((e) => e.dataset.pod.startsWith('default/web-')).map((e) => ({ pod: e.dataset.pod, node: e.dataset.node, status: e.dataset.status })),
    );
  const before = await webPods();
  const victim = before[0].node;
  const card = page.locator(`[data-testid=node][data-node="${victim}"]`);
  assert.equal(await card.getAttribute('data-condition'), 'Ready');
  await card.locator('[data-action=fail]').click();
  await card.getByTestId('node-message').waitFor();
  assert.match(await card.getByTestId('node-message').textContent(), /down/);
  // The node controller notices after its 50 s grace period.
  await page.getByTestId('time-jump-1m').click();
  await page.waitForFunction((n) => document.querySelector(`[data-testid=node][data-node="${n}"]`)?.dataset.condition !== 'Ready', victim);
  assert.notEqual(await card.getAttribute('data-condition'), 'Ready');
  await screenshot(page, 'cluster-node-failed');
  // 300 s of tolerationSeconds later the pods are evicted; the Deployment replaces them elsewhere.
  await page.getByTestId('time-jump-5m').click();
  await page.waitForFunction(
    (n) => {
      const web = [...document.querySelectorAll('[data-testid=pod]')].filter((e) => e.dataset.pod.startsWith('default/web-') && e.dataset.status === 'Running');
      return web.length >= 2 && web.every((e) => e.dataset.node !== n);
    },
    victim,
    { timeout: 30_000 },
  );
  const after = (await webPods()).filter((p) => p.status === 'Running');
  assert.ok(after.some((p) => !before.some((b) => b.pod === p.pod)), 'a replacement pod has a new name');
  // The button was recorded as a fault step: the terminal's kubectl agrees with the card.
  await page.getByTestId('terminal-input').fill('get nodes');
  await page.getByTestId('terminal-input').press('Enter');
  await page.waitForFunction((n) => new RegExp(`${n}\\s+NotReady`).test(document.querySelector('[data-testid=terminal-output]').textContent), victim);
  await screenshot(page, 'cluster-node-replaced');
  assert.deepEqual(errors, []);
});
