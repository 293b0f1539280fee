// Browser tests: a real `gugus serve` over a freshly generated database, driven by
// playwright-core in Debian's chromium. Each test file starts its own server (so
// files never see each other's imports or decisions) and closes it at the end.
//
// Environment: GUGUS_BIN (the gugus binary, default build/gugus), GUGUS_WEB_DIR
// (the built app, default web/dist), CHROMIUM (default /usr/bin/chromium) and
// GUGUS_SCREENSHOTS (a folder: when set, shot() saves the screens there).
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before } from "node:test";
import { chromium } from "playwright-core";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const GUGUS = path.resolve(root, process.env.GUGUS_BIN ?? "build/gugus");
export const WEB_DIR = path.resolve(root, process.env.GUGUS_WEB_DIR ?? "web/dist");
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const DEMO_PASSWORD = "demo-gugus-2026";

// Runs the gugus CLI on the test database; throws with its stderr on failure.
function run(db, args, input) {
  const r = spawnSync(GUGUS, ["--db", db, ...args], { input, encoding: "utf8" });
  if (r.status !== 0)
    throw new Error(`gugus ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

// A database with the demo data set (five agencies, one account per role, all with
// DEMO_PASSWORD), linked, and a server on a free port.
export async function startGugus({ persons = 300, seed = 7 } = {}) {
  for (const [what, p] of [
    ["gugus binary", GUGUS],
    ["built web app (make build)", path.join(WEB_DIR, "index.html")],
    ["chromium (make setup)", CHROMIUM],
  ])
    if (!existsSync(p)) throw new Error(`missing ${what}: ${p}`);
  const dir = mkdtempSync(path.join(tmpdir(), "gugus-web-"));
  const db = path.join(dir, "gugus.db");
  run(db, ["init"]);
  run(db, ["demo", "--persons", String(persons), "--agencies", "5", "--seed", String(seed),
           "--out", path.join(dir, "demo")]);
  run(db, ["link"]);
  const child = spawn(
    GUGUS,
    ["--db", db, "serve", "--port", "0", "--host", "127.0.0.1", "--web-dir", WEB_DIR,
     "--upload-dir", path.join(dir, "uploads")],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  child.stderr.on("data", (d) => (log += d));
  const url = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/localhost:(\d+)\//);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    child.on("exit", (code) => reject(new Error(`gugus serve exited ${code}: ${log}`)));
  });
  return {
    url,
    dir,
    db,
    demoDir: path.join(dir, "demo"),
    gugus: (args, input) => run(db, args, input),
    writeFile(name, content) {
      const p = path.join(dir, name);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, content);
      return p;
    },
    async stop() {
      child.kill("SIGTERM");
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.on("exit", resolve)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Starts a server (startGugus options) and a browser before the file's tests and closes
// both after them; the returned object's gugus and browser are set once started. Work
// that needs the server before the tests goes in setup(gugus) (node:test does not wait
// for one top-level before hook to finish before the next starts).
export function useGugus({ setup, ...options } = {}) {
  const env = { gugus: undefined, browser: undefined };
  before(async () => {
    env.gugus = await startGugus(options);
    env.browser = await launch();
    await setup?.(env.gugus);
  });
  after(async () => {
    await env.browser?.close();
    await env.gugus?.stop();
  });
  return env;
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
}

// A fresh browser context (its own sessionStorage) at 1366×768, or a phone.
export async function newPage(browser, { phone = false, lang } = {}) {
  const context = await browser.newContext(
    phone
      ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
      : { viewport: { width: 1366, height: 768 } },
  );
  if (lang) await context.addInitScript((l) => localStorage.setItem("gugus.lang", l), lang);
  const page = await context.newPage();
  // Waits are for content, not speed (bench/web measures that): generous, because
  // the suite runs beside other tests on two cores, and with the sanitizers.
  page.setDefaultTimeout(30000);
  return page;
}

// Fills in and sends the login form, without waiting for the outcome.
export async function submitLogin(page, url, username, password = DEMO_PASSWORD) {
  await page.goto(url + "/masuk");
  await page.getByLabel("Nama pengguna").fill(username);
  await page.getByLabel("Kata sandi").fill(password);
  await page.getByRole("button", { name: "Masuk" }).click();
}

export async function login(page, url, username, password = DEMO_PASSWORD) {
  await submitLogin(page, url, username, password);
  await page.waitForURL((u) => !u.pathname.startsWith("/masuk"));
}

// The page's session token (kept in its sessionStorage), for calling the API as it.
export function tokenOf(page) {
  return page.evaluate(() => sessionStorage.getItem("gugus.token"));
}

// Logs `username` in and checks that the main menu has no entry `item` and that
// opening `pathname` directly is refused.
export async function expectNoEntry(page, url, username, item, pathname) {
  await login(page, url, username);
  const nav = page.getByRole("navigation", { name: "Navigasi utama" });
  await nav.getByRole("link", { name: "Dasbor" }).waitFor();
  assert.equal(await nav.getByRole("link", { name: item }).count(), 0);
  await page.goto(url + pathname);
  await page.getByRole("alert").getByText("tidak berwenang").waitFor();
}

// Saves a screenshot for the README when GUGUS_SCREENSHOTS names a folder.
export async function shot(page, name, { fullPage = false } = {}) {
  const dir = process.env.GUGUS_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage });
}
