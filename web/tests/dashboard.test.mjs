// The dashboard: its numbers come in one request and agree with the API, charts and the
// map are drawn, small cells read as hidden, filters narrow the numbers, English works,
// phones stack.
import { test } from "node:test";
import assert from "node:assert/strict";
import { login, newPage, shot, tokenOf, useGugus } from "./harness.mjs";

const env = useGugus();

// The API's answer for the logged-in page's account.
async function api(page, path) {
  const token = await tokenOf(page);
  const r = await fetch(env.gugus.url + path, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(r.status, 200, path);
  return r.json();
}

const totalOf = (table, dim) => table.cells.find((c) => c.values[dim] === "total");
const digits = (s) => Number(s.replace(/\D/g, ""));

async function kpi(page, id) {
  return digits(await page.getByTestId(id).locator(".value").innerText());
}

// The paths of the page's requests for numbers (/api/v1/stats…), from now on.
function statsRequests(page) {
  const paths = [];
  page.on("request", (r) => {
    const { pathname } = new URL(r.url());
    if (pathname.startsWith("/api/v1/stats")) paths.push(pathname);
  });
  return paths;
}

async function waitForDashboard(page) {
  await page.getByTestId("kpi-persons").locator(".value").waitFor();
  await page.locator("[data-testid=map] .chart svg path").first().waitFor();
}

test("a national secretariat sees unified numbers that match the API, charts and a map", async () => {
  const page = await newPage(env.browser);
  const requests = statsRequests(page);
  const answered = page.waitForResponse(
    (r) => new URL(r.url()).pathname === "/api/v1/stats/dashboard");
  await login(page, env.gugus.url, "demo.sekretariat");
  await page.getByRole("heading", { level: 1, name: "Dasbor korban dan kasus TPPO" }).waitFor();
  await waitForDashboard(page);

  // Every number came in one request, which answers what the separate calls do.
  assert.deepEqual(requests, ["/api/v1/stats/dashboard"]);
  const dashboard = await (await answered).json();
  const sex = await api(page, "/api/v1/stats?by=sex&totals=true");
  const recon = await api(page, "/api/v1/stats/reconciliation");
  assert.deepEqual(dashboard.reconciliation, recon);
  for (const dim of ["origin_province", "report_year", "sex", "age_group", "exploitation",
                     "recruitment", "destination"])
    assert.deepEqual(dashboard.tables[dim], await api(page, `/api/v1/stats?by=${dim}&totals=true`),
                     dim);
  const total = totalOf(sex, "sex");
  assert.equal(await kpi(page, "kpi-persons"), total.persons);
  assert.equal(await kpi(page, "kpi-records"), total.records);
  assert.equal(await kpi(page, "kpi-cases"), total.cases);
  assert.equal(recon.unified_persons, total.persons);
  assert.equal(await kpi(page, "kpi-sum"), recon.sum_of_agency_counts);
  assert.ok(recon.sum_of_agency_counts > recon.unified_persons, "linkage removes double counts");
  assert.ok((await kpi(page, "kpi-sum")) > (await kpi(page, "kpi-persons")));
  assert.equal(await kpi(page, "kpi-several"), recon.persons_at_several);

  // Every chart is drawn (an SVG inside), with an accessible name and a table.
  for (const id of ["chart-origin", "chart-year", "chart-sex", "chart-age", "chart-exploitation",
                    "chart-recruitment", "chart-destination"]) {
    const fig = page.getByTestId(id);
    await fig.locator(".chart svg").first().waitFor();
    assert.ok((await fig.locator(".chart").getAttribute("aria-label")).length > 10, id);
    await fig.getByText("Lihat tabel").waitFor();
  }
  // The map: 34 province outlines, the Papua note and the attribution.
  const map = page.getByTestId("map");
  assert.ok((await map.locator(".chart svg path").count()) >= 34);
  await map.getByText("Peta: @svg-maps/indonesia, CC BY 4.0").waitFor();
  await map.getByText("dijumlahkan ke Papua").waitFor();

  // Before and after linkage, per agency.
  const table = page.getByTestId("recon-table");
  assert.equal(await table.locator("tbody tr").count(), recon.agencies.length);
  assert.equal(digits(await page.getByTestId("recon-before").locator("td.num").innerText()),
               recon.sum_of_agency_counts);
  assert.equal(digits(await page.getByTestId("recon-after").locator("td.num").innerText()),
               recon.unified_persons);
  await page.getByTestId("reconciliation").locator(".chart svg").first().waitFor();
  await shot(page, "02-dashboard", { fullPage: true });
});

test("the period and province filters narrow the numbers", async () => {
  const page = await newPage(env.browser);
  const requests = statsRequests(page);
  await login(page, env.gugus.url, "demo.sekretariat");
  await waitForDashboard(page);
  const all = await kpi(page, "kpi-persons");

  await page.getByLabel("Dari tahun").selectOption("2023");
  await page.getByLabel("Sampai tahun").selectOption("2024");
  await page.getByText("Menampilkan: laporan 2023–2024, Seluruh Indonesia").waitFor();
  const period = totalOf(
    await api(page, "/api/v1/stats?by=sex&totals=true&from=2023-01-01&to=2024-12-31"), "sex");
  assert.equal(await kpi(page, "kpi-persons"), period.persons);
  assert.ok(period.persons < all);

  await page.getByLabel("Provinsi", { exact: true }).selectOption({ label: "Nusa Tenggara Timur" });
  await page.getByText("Menampilkan: laporan 2023–2024, Nusa Tenggara Timur").waitFor();
  const ntt = totalOf(await api(page,
    "/api/v1/stats?by=sex&totals=true&from=2023-01-01&to=2024-12-31&region=53"), "sex");
  const shown = page.getByTestId("kpi-persons").locator(".value");
  if (ntt.persons === null) await shown.getByText("disembunyikan").waitFor();
  else {
    assert.equal(await kpi(page, "kpi-persons"), ntt.persons);
    assert.ok(ntt.persons < period.persons);
  }
  // The filter is in the address, so the view can be shared and reloaded.
  assert.match(page.url(), /dari=2023.*sampai=2024.*wilayah=53/);
  await page.getByRole("button", { name: "Hapus saringan" }).click();
  await page.getByText("Menampilkan: semua tahun laporan, Seluruh Indonesia").waitFor();
  assert.equal(await kpi(page, "kpi-persons"), all);
  // Each filter asked for its numbers in one request, not one per chart.
  assert.ok(requests.length >= 4, requests.join(" "));
  assert.ok(requests.every((p) => p === "/api/v1/stats/dashboard"), requests.join(" "));
});

test("clicking a province on the map filters to it", async () => {
  const page = await newPage(env.browser);
  await login(page, env.gugus.url, "demo.sekretariat");
  await waitForDashboard(page);
  // ECharts draws the provinces as SVG paths: click the middle of the largest one that
  // is really there (not covered by a neighbour or a hole).
  const point = await page.getByTestId("map").locator(".chart svg").evaluate((svg) => {
    const hits = [];
    for (const path of svg.querySelectorAll("path")) {
      const r = path.getBoundingClientRect();
      const x = r.left + r.width / 2, y = r.top + r.height / 2;
      if (r.width > 20 && document.elementFromPoint(x, y) === path)
        hits.push({ x, y, size: r.width * r.height });
    }
    hits.sort((a, b) => b.size - a.size);
    return hits[0];
  });
  assert.ok(point, "a province to click");
  await page.mouse.click(point.x, point.y);
  await page.waitForURL(/wilayah=\d\d/);
  await page.getByText(/Menampilkan: semua tahun laporan, (?!Seluruh Indonesia)/).waitFor();
});

test("for an analyst small cells read as hidden, never as zero", async () => {
  const page = await newPage(env.browser);
  await login(page, env.gugus.url, "demo.analis");
  await waitForDashboard(page);
  const origin = await api(page, "/api/v1/stats?by=origin_province&totals=true");
  assert.ok(origin.k >= 5);
  const hidden = origin.cells.filter((c) => c.suppressed);
  assert.ok(hidden.length > 0, "the demo data has small provinces");
  const fig = page.getByTestId("chart-origin");
  await fig.getByText("Lihat tabel").click();
  const row = fig.locator("tbody tr", { hasText: hidden[0].labels.origin_province });
  await row.getByText(`disembunyikan, < ${origin.k}`).waitFor();
  assert.doesNotMatch(await row.innerText(), /\b0\b/);
  await fig.locator(".hidden-note").getByText(hidden[0].labels.origin_province).waitFor();
  assert.equal(await kpi(page, "kpi-persons"), totalOf(origin, "origin_province").persons);
});

test("a provincial secretariat sees its own province and no province filter", async () => {
  const page = await newPage(env.browser);
  await login(page, env.gugus.url, "demo.provinsi");
  await waitForDashboard(page);
  await page.getByTestId("own-region").getByText("Nusa Tenggara Timur").waitFor();
  assert.equal(await page.getByLabel("Provinsi", { exact: true }).count(), 0);
  const sex = await api(page, "/api/v1/stats?by=sex&totals=true");
  assert.equal(await kpi(page, "kpi-persons"), totalOf(sex, "sex").persons);
});

test("numbers from before a change say so and are asked for again until the new ones come", async () => {
  const page = await newPage(env.browser);
  // The server's first answer is marked as counted before a change (as it is while a
  // recount takes more than a second); the ones after it are its real answers.
  let answers = 0;
  await page.route("**/api/v1/stats/dashboard*", async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    answers += 1;
    if (answers === 1) {
      body.recounting = true;
    }
    await route.fulfill({ response, json: body });
  });
  await login(page, env.gugus.url, "demo.sekretariat");
  await waitForDashboard(page);
  const status = page.locator(".dash-showing");
  await status.getByText("angka baru sedang dihitung").waitFor();
  // Asked again by itself (the notice may leave while the page reloads, before
  // the second answer is in: wait for the answer, not for the notice to go) ...
  for (let i = 0; answers < 2; i++) {
    assert.ok(i < 100, "the dashboard asked again within 10 s");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(answers, 2);
  // ... and the notice gives way to what the real numbers show.
  await status.getByText("Menampilkan").waitFor();
  await status.getByText("angka baru sedang dihitung").waitFor({ state: "detached" });
});

test("the English switch changes the headings", async () => {
  const page = await newPage(env.browser);
  await login(page, env.gugus.url, "demo.sekretariat");
  await waitForDashboard(page);
  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("heading", { level: 1, name: "Trafficking victims and cases" }).waitFor();
  await page.getByRole("heading", { name: "Counts per agency: before and after linkage" }).waitFor();
  await page.getByTestId("chart-exploitation").getByText("Show table").click();
  await page.getByTestId("chart-exploitation").getByRole("rowheader", { name: "Forced labour" })
    .waitFor();
  await page.getByRole("button", { name: "Bahasa Indonesia" }).click();
  await page.getByRole("heading", { level: 1, name: "Dasbor korban dan kasus TPPO" }).waitFor();
});

test("on a phone the charts stack in one column", async () => {
  const page = await newPage(env.browser, { phone: true });
  await login(page, env.gugus.url, "demo.sekretariat");
  await waitForDashboard(page);
  await page.getByTestId("chart-sex").locator(".chart svg").first().waitFor();
  const year = await page.getByTestId("chart-year").boundingBox();
  const sex = await page.getByTestId("chart-sex").boundingBox();
  assert.ok(sex.y >= year.y + year.height - 1, "stacked, not side by side");
  assert.ok(year.width <= 390);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 391, `no sideways scrolling (${width})`);
  await shot(page, "03-dashboard-phone");
});
