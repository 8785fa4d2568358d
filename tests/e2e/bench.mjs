// Benchmarks in Chromium: opens the release build with ?bench=throughput (the engine) and/or
// ?bench=frames (the cluster view's frame times: 100 nodes, 2,000 pods playing at 30×) and prints
// the numbers the page measured. Not a test (numbers, not pass/fail):
//   trunk build --release --offline && node tests/e2e/bench.mjs [throughput|frames]
import { serveDist, launch } from './harness.mjs';

const which = process.argv[2];
const modes = which ? [which] : ['throughput', 'frames'];
const server = await serveDist();
const browser = await launch();
try {
  for (const mode of modes) {
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
