// Cold loads of the web application over a throttled connection, as an official on
// a slow mobile link would see them: the login screen, and the dashboard right
// after logging in (its scripts, the map and eight statistics calls). Chromium's
// network emulation (DevTools protocol) sets latency and bandwidth; the cache is
// empty at the start of every run. Prints medians of RUNS runs (default 5).
//
//   node bench/web/run.mjs            # needs build/gugus and web/dist (make build)
import { login, newPage, startGugus, launch } from "../../web/tests/harness.mjs";

const RUNS = Number(process.env.RUNS ?? 5);
const PROFILES = {
  // Chrome DevTools' presets: "Slow 3G" and "Fast 3G" (latency ms, bytes/s).
  "slow 3G": { latency: 2000, downloadThroughput: (500 * 1024) / 8, uploadThroughput: (500 * 1024) / 8 },
  "fast 3G": { latency: 562.5, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 },
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const gugus = await startGugus({ persons: 2000, seed: 2026 });
const browser = await launch();
try {
  for (const [name, conditions] of Object.entries(PROFILES)) {
    const loginTimes = [], dashTimes = [], bytes = [];
    for (let i = 0; i < RUNS; ++i) {
      const page = await newPage(browser);
      page.setDefaultTimeout(120000);
      const cdp = await page.context().newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
      await cdp.send("Network.emulateNetworkConditions", { offline: false, ...conditions });
      let transferred = 0;
      cdp.on("Network.loadingFinished", (e) => (transferred += e.encodedDataLength));
      const t0 = Date.now();
      await page.goto(gugus.url + "/masuk");
      await page.getByRole("button", { name: "Masuk" }).waitFor();
      loginTimes.push(Date.now() - t0);
      const t1 = Date.now();
      await login(page, gugus.url, "demo.sekretariat");
      // Every chart of the dashboard drawn (seven, the map and the two of linkage).
      await page.waitForFunction(() => document.querySelectorAll(".chart svg").length >= 10, null, {
        timeout: 120000,
      });
      dashTimes.push(Date.now() - t1);
      bytes.push(transferred);
      await page.context().close();
    }
    console.log(
      `${name}: login screen ${(median(loginTimes) / 1000).toFixed(1)} s, ` +
        `log in to a drawn dashboard ${(median(dashTimes) / 1000).toFixed(1)} s, ` +
        `${(median(bytes) / 1024).toFixed(0)} KiB transferred (medians of ${RUNS})`,
    );
  }
} finally {
  await browser.close();
  await gugus.stop();
}
