// Time control: Step lands on the next event, +1 min / +5 min move the clock by exactly that, and
// the scrubber goes back to an earlier moment: the cluster is rebuilt by replaying the recorded
// session and equals what was seen live then. Play replays the later recorded actions; acting
// while rewound discards them. The real release build and engine, no mocks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openPage, settledScreenshot as screenshot } from './harness.mjs';

const env = useBrowser();

const WEB = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: nginx
    image: nginx:1.25
`;

const API = `apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
  - name: httpd
    image: httpd:2.4
`;

const clockMs = async (page) => Number(await page.getByTestId('clock').getAttribute('data-ms'));
const waitClock = (page, ms) =>
  page.waitForFunction((ms) => document.querySelector('[data-testid=clock]')?.dataset.ms === String(ms), ms, { timeout: 10_000 });

/** Every pod chip as the cluster view shows it: name, node, STATUS, ready and IP. */
const pods = (page) =>
  page.$$eval('[data-testid=pod]', (els) =>
    els
      .map((e) => `${e.dataset.pod} ${e.dataset.node ?? '-'} ${e.dataset.status} ${e.querySelector('.pod-meta')?.textContent}`)
      .sort(),
  );

const apply = async (page, text) => {
  await page.getByTestId('yaml-editor').fill(text);
  await page.getByTestId('apply-button').click();
};

const command = async (page, line) => {
  await page.getByTestId('terminal-input').fill(line);
  await page.getByTestId('terminal-input').press('Enter');
};

const scrub = async (page, ms) => {
  await page.getByTestId('time-scrub').fill(String(ms));
  await waitClock(page, ms);
};

test('step lands on the next event; +1 min and +5 min move the clock by exactly that', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url);
  await page.getByTestId('time-pause').click();
  await apply(page, WEB);
  const start = await clockMs(page);

  const next = Number(await page.getByTestId('time-step').getAttribute('data-next'));
  assert.ok(next > start, `next event ${next} after ${start}`);
  await page.getByTestId('time-step').click();
  await waitClock(page, next);
  // Step pauses and goes one event at a time: the next one lies later still.
  assert.equal(await page.getByTestId('time-play').count(), 1);
  const after = Number(await page.getByTestId('time-step').getAttribute('data-next'));
  assert.ok(after > next, `${after} > ${next}`);

  await page.getByTestId('time-jump-1m').click();
  await waitClock(page, next + 60_000);
  await page.getByTestId('time-jump-5m').click();
  await waitClock(page, next + 360_000);
  assert.equal(await page.getByTestId('clock').textContent(), `0${Math.floor((next + 360_000) / 60_000)}:${String(Math.floor((next + 360_000) / 1000) % 60).padStart(2, '0')}`);
  // At the end of the recording: Live, and the scrubber ends here.
  await page.getByTestId('time-live-badge').waitFor();
  assert.equal(await page.getByTestId('time-scrub').getAttribute('max'), String(next + 360_000));
  assert.equal(await page.locator('[data-testid=pod][data-pod="default/web"]').getAttribute('data-status'), 'Running');

  // The scrubber by keyboard: whole seconds back, then End returns to the end of the recording.
  await page.getByTestId('time-scrub').focus();
  await page.keyboard.press('ArrowLeft');
  await waitClock(page, next + 359_000);
  await page.keyboard.press('Shift+ArrowLeft');
  await waitClock(page, next + 349_000);
  await page.getByTestId('time-rewound').waitFor();
  await page.keyboard.press('End');
  await waitClock(page, next + 360_000);
  await page.getByTestId('time-live-badge').waitFor();
  assert.deepEqual(errors, []);
});

test('scrub back: the earlier cluster, exactly as it was; Play replays the later actions; acting discards them', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url, { width: 1400, height: 900 });
  await page.getByTestId('time-pause').click();
  const t0 = await clockMs(page);
  await apply(page, WEB);

  // Live, a few events later: the pod is scheduled and its image is being pulled.
  let early;
  for (let i = 0; i < 20; i++) {
    await page.getByTestId('time-step').click();
    early = await pods(page);
    if (early.some((p) => p.includes(' ContainerCreating '))) break;
  }
  const tEarly = await clockMs(page);
  assert.ok(early.some((p) => p.startsWith('default/web ') && p.includes(' ContainerCreating ')), early.join('\n'));

  // A minute later it runs; then a second pod, and the first is deleted from the terminal.
  await page.getByTestId('time-jump-1m').click();
  await waitClock(page, tEarly + 60_000);
  const tRunning = tEarly + 60_000;
  const running = await pods(page);
  assert.ok(running.some((p) => p.startsWith('default/web ') && p.includes(' Running ')), running.join('\n'));
  // (a minute later, so the moment above stays the one before these actions)
  await page.getByTestId('time-jump-1m').click();
  const tAct = tRunning + 60_000;
  await waitClock(page, tAct);
  await apply(page, API);
  await command(page, 'delete pod web');
  await page.getByTestId('time-jump-1m').click();
  const tEnd = tAct + 60_000;
  await waitClock(page, tEnd);
  const end = await pods(page);
  assert.ok(!end.some((p) => p.startsWith('default/web ')), `web deleted: ${end.join('\n')}`);
  assert.ok(end.some((p) => p.startsWith('default/api ') && p.includes(' Running ')), end.join('\n'));
  await page.getByTestId('terminal-output').getByText('pod "web" deleted').waitFor();

  // Back to the moment web was being created: the same chips, the rewound banner, paused.
  await scrub(page, tEarly);
  assert.deepEqual(await pods(page), early);
  const banner = page.getByTestId('time-rewound');
  await banner.waitFor();
  assert.match(await banner.textContent(), /Rewound to 00:0\d \(recorded up to 03:0\d\)\. Play replays the 2 later recorded actions; a new action here \(Apply, Delete, a command\) discards them\./);
  assert.equal(await page.getByTestId('time-scrub-row').getAttribute('data-rewound'), 'true');
  assert.equal(await page.getByTestId('time-live-badge').count(), 0);
  await screenshot(page, 'time-rewound');

  // To the moment it ran (web back, same node and IP; api not created yet), then Back to live.
  await scrub(page, tRunning);
  assert.deepEqual(await pods(page), running);
  assert.match(await banner.textContent(), /Play replays the 2 later/);
  await page.getByTestId('time-live').click();
  await waitClock(page, tEnd);
  assert.deepEqual(await pods(page), end);
  await page.getByTestId('time-live-badge').waitFor();
  // The terminal was replayed too.
  await page.getByTestId('terminal-output').getByText('pod "web" deleted').waitFor();

  // Rewind again and Play at 60×: the recorded Apply and delete happen again at their times.
  await scrub(page, tRunning - 30_000);
  assert.match(await banner.textContent(), /Play replays the 2 later/);
  await page.getByTestId('time-speed').selectOption('60');
  await page.getByTestId('time-play').click();
  await page.waitForFunction((end) => Number(document.querySelector('[data-testid=clock]').dataset.ms) >= end + 6_000, tEnd, { timeout: 15_000 });
  await page.getByTestId('time-pause').click();
  await page.getByTestId('time-live-badge').waitFor();
  const replayed = await pods(page);
  assert.ok(!replayed.some((p) => p.startsWith('default/web ')), replayed.join('\n'));
  assert.ok(replayed.some((p) => p.startsWith('default/api ') && p.includes(' Running ')), replayed.join('\n'));
  // Exactly the same run: scrub to the end seen live and compare the chips.
  await scrub(page, tEnd);
  assert.deepEqual(await pods(page), end);

  // Acting while rewound: the later recorded actions go, the recording continues from here.
  await scrub(page, tRunning);
  await command(page, 'get pods');
  const discarded = page.getByTestId('time-discarded');
  await discarded.waitFor();
  assert.match(await discarded.textContent(), /2 later recorded actions were discarded: the recording continues from 01:0\d\./);
  await page.getByTestId('time-live-badge').waitFor();
  assert.equal(await page.getByTestId('time-scrub').getAttribute('max'), String(tRunning));
  await page.getByTestId('time-jump-1m').click();
  await waitClock(page, tRunning + 60_000);
  const kept = await pods(page);
  assert.ok(kept.some((p) => p.startsWith('default/web ') && p.includes(' Running ')), `web stays: ${kept.join('\n')}`);
  assert.ok(!kept.some((p) => p.startsWith('default/api ')), kept.join('\n'));
  await screenshot(page, 'time-discarded');
  assert.deepEqual(errors, []);
});

test('Korean: the rewound banner and the controls speak Korean', async () => {
  const { page, errors } = await openPage(env.browser, env.server.url, { width: 1280, height: 720 }, { locale: 'ko-KR' });
  await page.getByTestId('time-pause').click();
  await apply(page, WEB);
  await page.getByTestId('time-jump-1m').click();
  await command(page, 'get pods');
  await page.getByTestId('time-jump-1m').click();
  await scrub(page, 30_000);
  assert.match(await page.getByTestId('time-rewound').textContent(), /00:30\(으\)로 되감음 .*이후에 기록된 동작 1개/);
  assert.equal(await page.getByTestId('time-step').textContent(), '한 단계');
  await screenshot(page, 'time-rewound-ko');
  assert.deepEqual(errors, []);
});
