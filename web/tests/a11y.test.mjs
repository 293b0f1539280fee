// Accessibility: every screen checked with axe-core against WCAG 2.1 A and AA
// (labels, names, roles, contrast, landmarks) in Indonesian and in English, at
// 1366×768 and on a phone. A serious or critical violation fails the test.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { login, useGugus } from "./harness.mjs";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const env = useGugus();

// A page whose context may inject axe (the app's Content-Security-Policy would
// refuse the injected script otherwise).
async function axePage({ phone = false } = {}) {
  const context = await env.browser.newContext({
    bypassCSP: true,
    viewport: phone ? { width: 390, height: 844 } : { width: 1366, height: 768 },
    isMobile: phone,
    hasTouch: phone,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  return page;
}

// Runs axe on the page as it is; returns the serious and critical violations.
async function violations(page) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    }),
  );
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(" | ")}`);
}

async function check(page, what) {
  const found = await violations(page);
  assert.deepEqual(found, [], `${what}:\n${found.join("\n")}`);
}

// Each screen once its content is there.
const screens = [
  ["dashboard", "/", (p) => p.locator(".chart svg").first().waitFor()],
  ["person search", "/orang", async (p) => {
    await p.getByRole("searchbox").or(p.getByRole("textbox")).first().fill("siti");
    await p.keyboard.press("Enter");
    await p.locator("main a[href^='/orang/']").first().waitFor();
  }],
  ["person page", null, async (p) => {
    await p.locator("main a[href^='/orang/']").first().click();
    await p.locator("table.compare").first().waitFor();
  }],
  ["import", "/impor", (p) => p.locator("main select, main input[type=file]").first().waitFor()],
  ["review", "/tinjauan", (p) => p.locator("table.compare").first().waitFor()],
  ["cases", "/perkara", (p) => p.locator("table.case-list tbody tr").first().waitFor()],
  ["case page", "/perkara?tahap=inkracht", async (p) => {
    await p.locator("table.case-list a[href^='/perkara/']").first().click();
    await p.getByTestId("timeline").locator("li").first().waitFor();
  }],
  ["law enforcement", "/keadilan", (p) => p.getByTestId("chart-counts").locator(".chart svg").first().waitFor()],
];

for (const lang of ["id", "en"]) {
  test(`the login screen has no serious accessibility problems (${lang})`, async () => {
    const page = await axePage();
    await page.goto(env.gugus.url + "/masuk");
    await page.locator("form").waitFor();
    if (lang === "en") {
      await page.getByRole("button", { name: "English" }).click();
      await page.getByRole("button", { name: "Log in" }).waitFor();
    }
    await check(page, "login");
  });
}

for (const phone of [false, true]) {
  test(`every screen of a secretariat has no serious accessibility problems${phone ? " on a phone" : ""}`, async () => {
    const page = await axePage({ phone });
    await login(page, env.gugus.url, "demo.sekretariat");
    for (const [what, path, ready] of screens) {
      if (path) await page.goto(env.gugus.url + path);
      await ready(page);
      await check(page, what);
    }
  });
}

test("administration and English screens have no serious accessibility problems", async () => {
  const page = await axePage();
  await login(page, env.gugus.url, "demo.admin");
  await page.getByRole("button", { name: "English" }).click();
  await page.goto(env.gugus.url + "/admin");
  await page.locator("main table").first().waitFor();
  await check(page, "admin users");
  await page.getByRole("tab").nth(1).click();
  await page.locator("main table").first().waitFor();
  await check(page, "admin agencies");
  await page.goto(env.gugus.url + "/");
  await page.locator(".chart svg").first().waitFor();
  await check(page, "dashboard (en)");
  await page.goto(env.gugus.url + "/keadilan");
  await page.getByTestId("chart-counts").locator(".chart svg").first().waitFor();
  await check(page, "law enforcement (en)");
});
