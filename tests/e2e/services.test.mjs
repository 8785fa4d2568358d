// Seed 001's label exercise on the page: six labelled pods, two Services, endpoints chosen by
// selector (and only ready pods), drawn as Service boxes with their endpoint count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { useBrowser, openPage, screenshot } from './harness.mjs';

const env = useBrowser();

const golden = new URL('../golden/manifests/', import.meta.url);

test('services pick their endpoints by label selector', async () => {
  const pods = await readFile(new URL('seed001-labels.yaml', golden), 'utf8');
  const services = await readFile(new URL('seed001-services.yaml', golden), 'utf8');
  const { page, errors } = await openPage(env.browser, env.server.url);
  await page.getByTestId('time-speed').selectOption('10');
  await page.getByTestId('yaml-editor').fill(`${pods}---\n${services}`);
  await page.getByTestId('apply-button').click();

  const web = page.locator('[data-testid="service"][data-service="default/svc-for-web"]');
  const prod = page.locator('[data-testid="service"][data-service="default/svc-for-production"]');
  await page.waitForFunction(() => {
    const w = document.querySelector('[data-service="default/svc-for-web"]');
    const p = document.querySelector('[data-service="default/svc-for-production"]');
    return w?.dataset.endpoints === '2' && p?.dataset.endpoints === '3';
  }, null, { timeout: 30_000 });
  assert.match(await web.textContent(), /pod-1, pod-4|pod-4, pod-1/);
  assert.match(await prod.textContent(), /selector lo=production/);

  // A pod that is deleted leaves the endpoints at once (it is terminating).
  const input = page.getByTestId('terminal-input');
  await input.fill('delete pod pod-4');
  await input.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-service="default/svc-for-web"]').dataset.endpoints === '1');
  assert.equal(await prod.getAttribute('data-endpoints'), '2');
  await input.fill('get endpoints');
  await input.press('Enter');
  await page.waitForFunction(() => /svc-for-web\s+10\.244\.\d+\.\d+:8080\s/.test(document.querySelector('[data-testid=terminal-output]').textContent));
  await screenshot(page, 'services');
  assert.deepEqual(errors, []);
});
