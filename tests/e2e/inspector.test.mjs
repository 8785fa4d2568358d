// The inspector, as a learner uses it: why a pod is Pending (the scheduler's table), why it went
// to its node (scores), what phase / container state / STATUS / conditions say about a
// crash-looping pod, its events and logs (per container, current and previous), and non-pod
// objects. Release build, real engine, no mocks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openPage, screenshot } from './harness.mjs';

const env = useBrowser();

const PENDING = `apiVersion: v1
kind: Pod
metadata:
  name: picky
spec:
  nodeSelector:
    disktype: nvme
  containers:
  - name: app
    image: nginx:1.25
`;

const WEB = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.25
`;

const CRASHER = `apiVersion: v1
kind: Pod
metadata:
  name: crasher
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "echo starting up; echo giving up; exit 1"]
`;

const TWO = `apiVersion: v1
kind: Pod
metadata:
  name: duo
spec:
  containers:
  - name: first
    image: busybox:1.36
    command: ["sh", "-c", "echo hello from first; sleep 3600"]
  - name: second
    image: busybox:1.36
    command: ["sh", "-c", "echo hello from second; sleep 3600"]
`;

const text = (page, id) => page.getByTestId(id).textContent();

async function apply(page, yaml) {
  await page.getByTestId('yaml-editor').fill(yaml);
  await page.getByTestId('apply-button').click();
}

async function select(page, pod) {
  await page.locator(`[data-testid="pod"][data-pod="default/${pod}"]`).click();
  await page.waitForFunction((p) => document.querySelector('[data-testid=inspector-selected]')?.textContent === `pod/${p}`, pod);
}

test('a Pending pod: the scheduler table shows the NodeAffinity failures and the FailedScheduling message', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url, { width: 1400, height: 900 });
  await apply(page, PENDING);
  await page.locator('[data-testid="pending-lane"] [data-pod="default/picky"]').waitFor();
  await select(page, 'picky');
  await page.getByTestId('inspector-scheduler').click();
  await page.getByTestId('filter-table').waitFor();
  assert.equal(await text(page, 'scheduler-heading'), 'Why Pending?');
  const message = await text(page, 'scheduler-message');
  assert.match(
    message,
    /FailedScheduling 0\/3 nodes are available: 1 node\(s\) had untolerated taint \{node-role\.kubernetes\.io\/control-plane: \}, 2 node\(s\) didn't match Pod's node affinity\/selector\. preemption: 0\/3 nodes are available: 3 Preemption is not helpful for scheduling\.\./,
  );
  // The same message as kubectl describe's event.
  const rows = page.getByTestId('filter-row');
  assert.equal(await rows.count(), 3);
  const headers = await page.locator('[data-testid=filter-table] thead th').allTextContents();
  const affinity = headers.indexOf('NodeAffinity');
  assert.ok(affinity > 0, headers.join(','));
  for (const worker of ['k8s-worker1', 'k8s-worker2']) {
    const row = page.locator(`[data-testid=filter-row][data-node="${worker}"]`);
    assert.equal(await row.getAttribute('data-feasible'), 'false');
    const cells = await row.locator('th, td').allTextContents();
    assert.equal(cells[affinity], '✗', cells.join('|'));
    assert.ok(cells.slice(1, affinity).every((c) => c === '✓'), cells.join('|'));
    assert.ok(cells.slice(affinity + 1, -1).every((c) => c === '–'), cells.join('|'));
    assert.equal(cells.at(-1), "NodeAffinity: node(s) didn't match Pod's node affinity/selector");
  }
  const master = await page.locator('[data-testid=filter-row][data-node="k8s-master"] td.reason').textContent();
  assert.equal(master, 'TaintToleration: node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }');
  assert.equal(await page.getByTestId('score-table').count(), 0, 'no node passed, so nothing is scored');
  // The explanation names the pod's real values.
  assert.match(await text(page, 'inspector-explain-summary'), /^phase Pending, STATUS Pending/);
  assert.match(await text(page, 'explain-conditions'), /PodScheduled False \(Unschedulable\)/);
  await page.getByTestId('filter-table').scrollIntoViewIfNeeded();
  await screenshot(page, 'inspector-pending-en');

  await page.getByTestId('lang-switch').selectOption('ko');
  await page.waitForFunction(() => document.querySelector('[data-testid=scheduler-heading]')?.textContent === '왜 Pending인가요?');
  // kubectl's message stays in English, as on a real cluster.
  assert.match(await text(page, 'scheduler-message'), /0\/3 nodes are available/);
  await page.getByTestId('filter-table').scrollIntoViewIfNeeded();
  await screenshot(page, 'inspector-pending-ko');
  await page.locator('[data-testid=inspector-explain] summary').click();
  await page.getByTestId('explain-conditions').scrollIntoViewIfNeeded();
  await screenshot(page, 'inspector-pending-ko-explained');
  assert.deepEqual(errors, []);
});

test('a scheduled pod: scores per plugin and the chosen node', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url, { width: 1400, height: 900 });
  await apply(page, WEB);
  const chip = page.locator('[data-testid="pod"][data-pod="default/web"][data-status="Running"]');
  await chip.waitFor({ timeout: 30_000 });
  const node = await chip.getAttribute('data-node');
  await select(page, 'web');
  await page.getByTestId('inspector-scheduler').click();
  await page.getByTestId('score-table').waitFor();
  assert.equal(await text(page, 'scheduler-heading'), 'Why this node?');
  const chosen = page.locator('[data-testid=score-row][data-chosen=true]');
  assert.equal(await chosen.count(), 1);
  assert.equal(await chosen.getAttribute('data-node'), node);
  assert.match(await text(page, 'scheduler-chosen'), new RegExp(node));
  // Both workers passed the filters and were scored; the master was filtered out.
  const scored = await page.getByTestId('score-row').evaluateAll((rs) => rs.map((r) => r.dataset.node).sort());
  assert.deepEqual(scored, ['k8s-worker1', 'k8s-worker2']);
  const headers = await page.locator('[data-testid=score-table] thead th').allTextContents();
  for (const plugin of ['TaintToleration', 'NodeAffinity', 'NodeResourcesFit', 'NodeResourcesBalancedAllocation', 'ImageLocality']) {
    assert.ok(headers.includes(plugin), headers.join(','));
  }
  // Each cell is score×weight; the total is their weighted sum.
  for (const row of await page.getByTestId('score-row').all()) {
    const cells = await row.locator('td').allTextContents();
    const total = Number(cells.pop());
    const sum = cells.map((c) => c.split('×').map(Number)).reduce((s, [score, weight]) => s + score * weight, 0);
    assert.equal(total, sum, cells.join('|'));
    assert.equal(String(total), await row.getAttribute('data-total'));
  }
  const totals = await page.getByTestId('score-row').evaluateAll((rs) => rs.map((r) => Number(r.dataset.total)));
  assert.equal(Number(await chosen.getAttribute('data-total')), Math.max(...totals));
  assert.match(await text(page, 'inspector-explain-summary'), /^phase Running, STATUS Running/);
  await page.getByTestId('score-table').scrollIntoViewIfNeeded();
  await screenshot(page, 'inspector-scheduled-en');
  await page.getByTestId('lang-switch').selectOption('ko');
  await page.waitForFunction(() => document.querySelector('[data-testid=scheduler-heading]')?.textContent === '왜 이 노드인가요?');
  await page.getByTestId('score-table').scrollIntoViewIfNeeded();
  await screenshot(page, 'inspector-scheduled-ko');

  // Non-pod objects: describe, events and YAML, picked by TYPE/NAME.
  await page.getByTestId('lang-switch').selectOption('en');
  await page.getByTestId('inspector-target').fill(`node/${node}`);
  await page.getByTestId('inspector-target').press('Enter');
  await page.waitForFunction((n) => document.querySelector('[data-testid=inspector-selected]')?.textContent === `node/${n}`, node);
  assert.equal(await page.getByTestId('inspector-scheduler').count(), 0, 'the scheduler tab is for pods');
  await page.getByTestId('inspector-describe').click();
  assert.match(await text(page, 'inspector-text'), new RegExp(`^Name:\\s+${node}\\nRoles:`));
  await page.getByTestId('inspector-target').fill('deployment/nope');
  await page.getByTestId('inspector-target').press('Enter');
  assert.equal(await text(page, 'inspector-target-error'), 'Not found: deployment/nope');
  assert.deepEqual(errors, []);
});

test('a crash-looping busybox: the explanation, events, logs and previous logs', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url, { width: 1400, height: 900 });
  await page.getByTestId('time-speed').selectOption('10');
  await apply(page, CRASHER);
  await page.locator('[data-testid="pod"][data-pod="default/crasher"][data-status="CrashLoopBackOff"]').waitFor({ timeout: 30_000 });
  await select(page, 'crasher');
  // Pause so the pod holds still while the test reads it.
  await page.getByTestId('time-pause').click();
  const summary = await text(page, 'inspector-explain-summary');
  assert.match(summary, /^phase Running, container app waiting: CrashLoopBackOff — kubectl shows the waiting reason in STATUS; the phase is still Running\.$/);
  await page.locator('[data-testid=inspector-explain] summary').click();
  assert.equal(await text(page, 'explain-phase'), 'This pod: Running');
  assert.match(await text(page, 'explain-containers'), /^app — waiting: CrashLoopBackOff · ready false · restarted (once|\d+ times) · previous run: Error \(exit code 1\)$/);
  assert.match(await text(page, 'explain-status'), /STATUS CrashLoopBackOff · READY 0\/1/);
  assert.match(await text(page, 'explain-conditions'), /Ready False \(ContainersNotReady\)/);
  await screenshot(page, 'inspector-crashloop-en');

  await page.getByTestId('inspector-events').click();
  assert.equal(
    await text(page, 'inspector-command'),
    '$ kubectl get events --field-selector involvedObject.kind=Pod,involvedObject.name=crasher',
  );
  const events = await text(page, 'inspector-text');
  assert.match(events, /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\n/);
  assert.match(events, /Warning\s+BackOff\s+pod\/crasher\s+Back-off restarting failed container app/);

  await page.getByTestId('inspector-logs').click();
  assert.equal(await text(page, 'inspector-command'), '$ kubectl logs crasher -c app');
  assert.equal(await text(page, 'inspector-text'), 'starting up\ngiving up\n');
  await page.getByTestId('inspector-previous-logs').click();
  assert.equal(await text(page, 'inspector-command'), '$ kubectl logs crasher -c app --previous');
  assert.equal(await text(page, 'inspector-text'), 'starting up\ngiving up\n');
  assert.equal(await page.getByTestId('inspector-container').count(), 0, 'one container: no picker');

  await page.getByTestId('lang-switch').selectOption('ko');
  await page.waitForFunction(() => document.querySelector('[data-testid=inspector-explain-summary]')?.textContent.startsWith('단계 Running'));
  assert.match(await text(page, 'inspector-explain-summary'), /컨테이너 app는 waiting: CrashLoopBackOff/);
  await page.getByTestId('inspector-describe').click();
  await screenshot(page, 'inspector-crashloop-ko');
  assert.deepEqual(errors, []);
});

test('logs of a two-container pod: a container picker', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url);
  await page.getByTestId('time-speed').selectOption('10');
  await apply(page, TWO);
  await page.locator('[data-testid="pod"][data-pod="default/duo"][data-status="Running"]').waitFor({ timeout: 30_000 });
  await select(page, 'duo');
  await page.getByTestId('inspector-logs').click();
  const picker = page.getByTestId('inspector-container');
  assert.deepEqual(await picker.locator('option').allTextContents(), ['first', 'second']);
  assert.equal(await text(page, 'inspector-text'), 'hello from first\n');
  await picker.selectOption('second');
  await page.waitForFunction(() => document.querySelector('[data-testid=inspector-text]').textContent === 'hello from second\n');
  assert.equal(await text(page, 'inspector-command'), '$ kubectl logs duo -c second');
  // No previous run yet: kubectl's own error.
  await page.getByTestId('inspector-previous-logs').click();
  assert.equal(
    await text(page, 'inspector-text'),
    'Error from server (BadRequest): previous terminated container "second" in pod "duo" not found\n',
  );
  await screenshot(page, 'inspector-two-containers');
  assert.deepEqual(errors, []);
});
