// Share links and the autosave: the whole session (cluster, manifests, recorded actions with their
// times, seed, the current moment, the selected pod and tab) in the URL fragment; opening the link
// in a fresh browser reproduces the same run. Damaged, truncated and newer links say so and leave
// a working, empty page. A reload restores the session by replay. Release build, no mocks.
import { test } from 'node:test';
import { deflateSync } from 'node:zlib';
import assert from 'node:assert/strict';
import { useBrowser, openPage, settledScreenshot as screenshot } from './harness.mjs';

const env = useBrowser();

const CRASHER = `apiVersion: v1
kind: Pod
metadata:
  name: crasher
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "echo starting; sleep 2; exit 1"]
`;

const WEB = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: nginx
    image: nginx:1.25
`;

/** Each pod chip: name, node, STATUS, ready/IP and the title (which carries RESTARTS). */
const pods = (page) =>
  page.$$eval('[data-testid=pod]', (els) =>
    els.map((e) => `${e.dataset.pod} ${e.dataset.node ?? '-'} ${e.dataset.status} ${e.querySelector('.pod-meta')?.textContent} | ${e.title}`).sort(),
  );

const apply = async (page, text) => {
  await page.getByTestId('yaml-editor').fill(text);
  await page.getByTestId('apply-button').click();
};

const command = async (page, line) => {
  await page.getByTestId('terminal-input').fill(line);
  await page.getByTestId('terminal-input').press('Enter');
};

/** A share link made by a page that ran a crash-looping pod for two minutes. */
async function crashLoopSession() {
  const { page, errors } = await openPage(env.browser, env.server.url, { width: 1400, height: 900 });
  await page.getByTestId('time-pause').click();
  await apply(page, CRASHER);
  await apply(page, WEB);
  await command(page, 'get pods -o wide');
  await page.getByTestId('time-jump-1m').click();
  await page.getByTestId('time-jump-1m').click();
  await page.locator('[data-testid=pod][data-pod="default/crasher"]').click();
  await page.getByTestId('inspector-logs').click();
  return { page, errors };
}

test('a shared crash loop at 2:00 opens elsewhere at the same moment, state and selection', async () => {
  const { page, errors } = await crashLoopSession();
  const clock = await page.getByTestId('clock').getAttribute('data-ms');
  assert.equal(await page.getByTestId('clock').textContent(), '02:00');
  const before = await pods(page);
  assert.ok(before.some((p) => /^default\/crasher .* (CrashLoopBackOff|Error|Running) .*restarts [1-9]/.test(p)), before.join('\n'));
  const logs = await page.getByTestId('inspector-text').textContent();
  assert.match(logs, /starting/);

  await page.getByTestId('share-button').click();
  const link = await page.getByTestId('share-link').inputValue();
  assert.ok(link.startsWith(`${env.server.url}#s=v1.`), link);
  // The selected pod travels with the link (the inspector keeps its own tab).
  assert.match(link, /&pod=default\/crasher$/);
  assert.ok(link.length < 2_000, `a compact link: ${link.length} characters`);
  await screenshot(page, 'share-panel');

  // A fresh browser context (its own, empty storage) opens the link.
  const { page: other, errors: otherErrors } = await openPage(env.browser, link, { width: 1400, height: 900 });
  await other.getByTestId('share-opened').waitFor();
  assert.match(await other.getByTestId('share-opened').textContent(), /Opened a shared session at 02:00, paused/);
  assert.equal(await other.getByTestId('clock').getAttribute('data-ms'), clock);
  assert.equal(await other.getByTestId('time-play').count(), 1, 'opens paused');
  assert.deepEqual(await pods(other), before);
  // The same selection and the same logs; the editor holds the session's last manifest.
  assert.ok(await other.locator('[data-testid=pod][data-pod="default/crasher"].selected').count() === 1);
  await other.getByTestId('inspector-logs').click();
  assert.equal(await other.getByTestId('inspector-text').textContent(), logs);
  assert.equal(await other.getByTestId('yaml-editor').inputValue(), WEB);
  // The terminal was replayed, and the link left the address bar (a reload keeps later work).
  assert.match(await other.getByTestId('terminal-output').textContent(), /^\$ kubectl get pods -o wide\nNAME /);
  assert.equal(new URL(other.url()).hash, '');
  await screenshot(other, 'share-opened');

  // It goes on deterministically: a minute more on both gives the same cluster.
  await page.getByTestId('time-jump-1m').click();
  await other.getByTestId('time-jump-1m').click();
  await other.waitForFunction((ms) => document.querySelector('[data-testid=clock]').dataset.ms === ms, String(Number(clock) + 60_000));
  await page.waitForFunction((ms) => document.querySelector('[data-testid=clock]').dataset.ms === ms, String(Number(clock) + 60_000));
  assert.deepEqual(await pods(other), await pods(page));
  await other.close();
  await page.close();
  assert.deepEqual(errors, []);
  assert.deepEqual(otherErrors, []);
});

test('damaged, truncated and newer links: a clear message and a working empty page', async () => {
  const { page: maker } = await crashLoopSession();
  await maker.getByTestId('share-button').click();
  const link = await maker.getByTestId('share-link').inputValue();
  await maker.close();
  const data = link.split('#s=v1.')[1].split('&')[0];

  const cases = [
    ['#s=v1.garbage', 'damaged', /This share link is damaged and cannot be read\. An empty playground was opened instead\./],
    [`#s=v1.${data.slice(0, Math.floor(data.length / 2))}`, 'truncated', /incomplete: it was probably cut off when copied/],
    [`#s=v9.${data}`, 'newer', /made by a newer version of Kube Playground \(link format v9\); this page reads v1/],
    [`#s=v1.${'A'.repeat(400_000)}`, 'too-big', /too big \(over 256 KB\)/],
    // Well-formed zlib (Node's own) around something that is not a scenario.
    [`#s=v1.${deflateSync('kind: Pod\n').toString('base64url')}`, 'invalid', /holds an invalid scenario: .*apiVersion/],
  ];
  for (const [hash, kind, message] of cases) {
    const { page, errors } = await openPage(env.browser, `${env.server.url}${hash}`);
    const notice = page.getByTestId('share-error');
    await notice.waitFor();
    assert.equal(await notice.getAttribute('data-kind'), kind, hash.slice(0, 40));
    assert.match(await notice.textContent(), message);
    // Empty, and it works: a pod applied here runs.
    assert.equal(await page.getByTestId('pod').count(), 0);
    await apply(page, WEB);
    await page.locator('[data-testid=pod][data-pod="default/web"][data-status="Running"]').waitFor({ timeout: 20_000 });
    if (kind === 'damaged') await screenshot(page, 'share-damaged');
    await page.getByTestId('link-notice-close').click();
    assert.equal(await page.getByTestId('share-error').count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
  }

  // In Korean too.
  const { page: ko, errors } = await openPage(env.browser, `${env.server.url}#s=v9.abc`, undefined, { locale: 'ko-KR' });
  await ko.getByTestId('share-error').waitFor();
  assert.match(await ko.getByTestId('share-error').textContent(), /더 새로운 버전의 Kube Playground\(링크 형식 v9\).*대신 빈 플레이그라운드를 열었습니다\./);
  await screenshot(ko, 'share-newer-ko');
  assert.deepEqual(errors, []);
});

test('a reload restores the session: same moment, cluster, terminal and selection', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url, { width: 1400, height: 900 });
  await page.getByTestId('time-pause').click();
  await apply(page, WEB);
  await page.getByTestId('time-jump-1m').click();
  await command(page, 'get pods');
  await page.getByTestId('time-jump-1m').click();
  await page.locator('[data-testid=pod][data-pod="default/web"]').click();
  const clock = await page.getByTestId('clock').getAttribute('data-ms');
  const before = await pods(page);
  const terminal = await page.getByTestId('terminal-output').textContent();

  await page.reload();
  await page.getByTestId('apply-button').waitFor();
  await page.waitForFunction((ms) => document.querySelector('[data-testid=clock]')?.dataset.ms === ms, clock);
  assert.deepEqual(await pods(page), before);
  assert.equal(await page.getByTestId('terminal-output').textContent(), terminal);
  assert.equal(await page.locator('[data-testid=pod].selected').getAttribute('data-pod'), 'default/web');
  assert.equal(await page.getByTestId('time-play').count(), 1, 'still paused');
  assert.equal(await page.getByTestId('time-scrub').getAttribute('max'), clock);

  // Reset starts an empty recording, which a reload keeps empty.
  await page.getByTestId('reset-button').click();
  await page.reload();
  await page.getByTestId('apply-button').waitFor();
  assert.equal(await page.getByTestId('pod').count(), 0);
  assert.deepEqual(errors, []);
});
