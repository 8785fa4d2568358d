// Benchmarks in Chromium: opens the release build with ?bench=throughput (the engine) and/or
// ?bench=frames (the cluster view's frame times: 100 nodes, 2,000 pods playing at 30×) and prints
// the numbers the page measured; `load` opens the plain page five times in fresh contexts and
// prints the time from navigation start to the first frame with the editor and cluster view
// rendered (wasm fetched, compiled, instantiated, first render). Not a test (numbers, not pass/fail):
//   trunk build --release --offline && node tests/e2e/bench.mjs [throughput|frames|load|page]
// (`page`: the whole page with a 300-replica Deployment playing at 30×, frame times.)
import { serveDist, launch } from './harness.mjs';

const PAGE_MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 300
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        resources: {requests: {cpu: 1m, memory: 1Mi}}
        readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 5}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80}]}
`;
const which = process.argv[2];
const modes = which ? [which] : ['load', 'throughput', 'frames', 'page'];
const server = await serveDist();
const browser = await launch();
try {
  for (const mode of modes) {
    if (mode === 'load') {
      const times = [];
      for (let i = 0; i < 5; i++) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
        const page = await context.newPage();
        await page.goto(server.url, { waitUntil: 'commit' });
        await page.waitForFunction(
          () => document.querySelector('[data-testid=apply-button]') && document.querySelector('[data-testid=node]'),
          null,
          { polling: 'raf', timeout: 60_000 },
        );
        times.push(await page.evaluate(() => Math.round(performance.now())));
        await context.close();
      }
      times.sort((a, b) => a - b);
      console.log('load:', JSON.stringify({ runs_ms: times, median_ms: times[2] }));
      continue;
    }
    if (mode === 'page') {
      // The whole page (editor, cluster view, timeline, inspector, clock) with a big Deployment:
      // 300 replicas with a readiness probe and a Service on the three default nodes (220 run,
      // 80 stay Pending on "Too many pods"), played at 30×; 300 frames from 3 s after Apply.
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      await page.goto(server.url);
      await page.getByTestId('apply-button').waitFor();
      await page.getByTestId('yaml-editor').fill(PAGE_MANIFEST);
      await page.getByTestId('apply-button').click();
      await page.getByTestId('time-speed').selectOption('30');
      await page.waitForTimeout(3000);
      const f = await page.evaluate(() => new Promise((done) => {
        const t = [];
        let last;
        const go = (ts) => {
          if (last) t.push(ts - last);
          last = ts;
          if (t.length < 300) requestAnimationFrame(go);
          else done(t);
        };
        requestAnimationFrame(go);
      }));
      f.sort((a, b) => a - b);
      const at = (p) => Number(f[Math.round((f.length - 1) * p)].toFixed(1));
      console.log('page:', JSON.stringify({ frames: f.length, p50: at(0.5), p95: at(0.95), max: at(1),
        clock: await page.getByTestId('clock').textContent() }));
      await page.close();
      continue;
    }
    // The frame benchmark draws the page at the size the app is tested at.
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(`${server.url}?bench=${mode}`);
    const out = page.getByTestId('bench-result');
    await out.waitFor({ timeout: 300_000 });
    console.log(`${mode}:`, JSON.stringify(JSON.parse(await out.textContent()), null, 2));
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
