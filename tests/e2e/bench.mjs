// Engine throughput in Chromium: opens the release build with ?bench=throughput and prints the
// numbers the page measured. Not a test (numbers, not pass/fail):
//   trunk build --release --offline && node tests/e2e/bench.mjs
import { serveDist, launch } from './harness.mjs';

const server = await serveDist();
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}?bench=throughput`);
  const out = page.getByTestId('bench-result');
  await out.waitFor({ timeout: 300_000 });
  console.log(JSON.stringify(JSON.parse(await out.textContent()), null, 2));
} finally {
  await browser.close();
  await server.close();
}
