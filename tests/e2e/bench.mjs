// Benchmarks in Chromium: opens the release build with ?bench=throughput (the engine) and/or
// ?bench=frames (the cluster view's frame times: 100 nodes, 2,000 pods playing at 30×) and prints
// the numbers the page measured; `load` opens the plain page five times in fresh contexts and
// prints the time from navigation start to the first frame with the editor and cluster view
// rendered (wasm fetched, compiled, instantiated, first render). Not a test (numbers, not pass/fail):
//   trunk build --release --offline && node tests/e2e/bench.mjs [throughput|frames|load]
import { serveDist, launch } from './harness.mjs';

const which = process.argv[2];
const modes = which ? [which] : ['load', 'throughput', 'frames'];
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
