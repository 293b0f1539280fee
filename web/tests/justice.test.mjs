// Cases and the course of justice: the secretariat reads the law-enforcement numbers
// per year as the API counts them (TIP-report years and provinces too), narrows the
// cases by stage and by stalled days, and opens a case whose one timeline runs
// through police, prosecutor and court; an agency without legal files sees no case;
// an analyst reads the numbers but never a case; phones get cards.
import { test } from "node:test";
import assert from "node:assert/strict";
import { expectNoEntry, login, newPage, shot, tokenOf, useGugus } from "./harness.mjs";

// More persons than the other files: the demo's legal-progress files grow with them,
// so the yearly numbers reach k and the case list has more than one page.
const env = useGugus({ persons: 2000 });

// The API's answer for the logged-in page's account.
async function api(page, path, status = 200) {
  const token = await tokenOf(page);
  const r = await fetch(env.gugus.url + path, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(r.status, status, path);
  return r.json();
}

const digits = (s) => Number(s.replace(/\D/g, ""));
const id = (n) => new Intl.NumberFormat("id-ID").format(n);
const rupiah = (n) => new RegExp(`Rp\\s${id(n).replace(/\./g, "\\.")}`);

async function caseCount(page, total) {
  await page.getByTestId("cases-count").getByText(new RegExp(`dari ${id(total)} perkara`)).waitFor();
}

test("the law-enforcement numbers per year are the API's, hidden where small", async () => {
  const page = await newPage(env.browser);
  await login(page, env.gugus.url, "demo.sekretariat");
  const nav = page.getByRole("navigation", { name: "Navigasi utama" });
  await nav.getByRole("link", { name: "Penegakan hukum" }).click();
  await page.getByRole("heading", { level: 1, name: "Penegakan hukum TPPO" }).waitFor();
  const table = page.getByTestId("justice-table");
  await table.locator("tbody tr").first().waitFor();

  const years = await api(page, "/api/v1/justice?by=year&year_start=1&format=json");
  assert.ok(years.rows.length >= 3, "the demo has several years of legal progress");
  assert.ok(years.rows.some((r) => r.cases > 0 && r.suspects_named > 0), "some numbers reach k");
  assert.equal(await table.locator("tbody tr").count(), years.rows.length);
  for (const r of years.rows) {
    const row = table.locator(`tbody tr[data-year="${r.year}"]`);
    assert.equal((await row.locator("th").innerText()).trim(), String(r.year));
    for (const col of ["cases", "suspects_named", "prosecuted", "convicted", "acquitted"]) {
      const text = await row.locator(`td[data-col=${col}]`).innerText();
      if (r[col] === null) assert.match(text, /disembunyikan, < 5/, `${r.year} ${col}`);
      else assert.equal(digits(text), r[col], `${r.year} ${col}`);
    }
    const ordered = await row.locator("td[data-col=restitution_ordered]").innerText();
    if (r.restitution_ordered === null) assert.match(ordered, /disembunyikan/);
    else assert.match(ordered, rupiah(r.restitution_ordered));
  }
  for (const chart of ["chart-counts", "chart-restitution"])
    await page.getByTestId(chart).locator(".chart svg").first().waitFor();
  await shot(page, "16-justice", { fullPage: true });

  // The TIP report's April–March years, labelled "2023/24".
  await page.getByLabel("April–Maret (laporan TIP)").check();
  await table.getByRole("columnheader", { name: "Tahun (April–Maret)" }).waitFor();
  const tip = await api(page, "/api/v1/justice?by=year&year_start=4&format=json");
  assert.equal(tip.year_start, 4);
  const first = tip.rows[0];
  await table
    .locator(`tbody tr[data-year="${first.year}"] th`)
    .getByText(`${first.year}/${String(first.year + 1).slice(-2)}`)
    .waitFor();
  assert.match(page.url(), /tahun=april/);

  // By province: a province column with the province's name.
  await page.getByLabel("Tahun dan provinsi").check();
  await table.getByRole("columnheader", { name: "Provinsi" }).waitFor();
  const provinces = await api(page, "/api/v1/justice?by=province&year_start=4&format=json");
  assert.ok(provinces.rows.every((r) => r.province));
  await table.locator("tbody tr").first().waitFor();
  assert.equal(await table.locator("tbody tr").count(), provinces.rows.length);
  await table.getByText("Nusa Tenggara Timur").first().waitFor();

  // In English too.
  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("heading", { level: 1, name: "Trafficking law enforcement" }).waitFor();
  await table.getByRole("columnheader", { name: "Suspects named" }).waitFor();
});

test("the case list narrows by stage and by stalled days, and pages on", async () => {
  const page = await newPage(env.browser);
  await login(page, env.gugus.url, "demo.sekretariat");
  await page.getByRole("navigation", { name: "Navigasi utama" }).getByRole("link", { name: "Perkara" }).click();
  await page.getByRole("heading", { level: 1, name: "Perkara" }).waitFor();
  const all = await api(page, "/api/v1/cases?limit=20");
  assert.ok(all.total > 20, "the demo has more than a page of cases");
  await caseCount(page, all.total);
  const rows = page.locator("table.case-list tbody tr");
  assert.equal(await rows.count(), 20);
  // Newest first, as the API lists them.
  assert.equal(await rows.first().getAttribute("data-case"), String(all.cases[0].case_id));
  await shot(page, "14-cases");
  await page.getByRole("button", { name: "Tampilkan lebih banyak" }).click();
  await page.getByTestId("cases-count").getByText(`Menampilkan ${Math.min(40, all.total)} dari`).waitFor();
  assert.equal(await rows.count(), Math.min(40, all.total));

  // By stage: only cases whose furthest stage is it.
  const stage = "eksekusi";
  const staged = await api(page, `/api/v1/cases?stage=${stage}&limit=500`);
  assert.ok(staged.total > 0 && staged.total < all.total);
  await page.getByLabel("Tahap terjauh").selectOption(stage);
  await caseCount(page, staged.total);
  assert.equal(await rows.count(), Math.min(20, staged.total));
  assert.equal(await page.locator(`table.case-list .stage:not([data-stage=${stage}])`).count(), 0);
  assert.equal(await rows.locator(".stage", { hasText: "Eksekusi" }).count(), await rows.count());
  assert.match(page.url(), /tahap=eksekusi/);

  // Stalled: open cases idle for longer than N days.
  await page.getByRole("button", { name: "Hapus saringan" }).click();
  await caseCount(page, all.total);
  const days = 800;
  const stalled = await api(page, `/api/v1/cases?stalled=${days}&limit=500`);
  assert.ok(stalled.total > 0 && stalled.total < all.total);
  await page.getByLabel("Mandek lebih dari (hari)").fill(String(days));
  await caseCount(page, stalled.total);
  assert.match(page.url(), /mandek=800/);
  const idle = await page.locator("table.case-list td[data-label='Tanpa kegiatan']").allInnerTexts();
  assert.ok(idle.length > 0 && idle.every((s) => digits(s) >= days), idle.join(", "));
  assert.equal(await page.locator("table.case-list tr.is-closed").count(), 0);

  // A filter nothing matches says so.
  await page.getByLabel("Tahap terjauh").selectOption("banding");
  const none = await api(page, `/api/v1/cases?stage=banding&stalled=${days}`);
  if (none.total === 0)
    await page.getByTestId("cases-empty").getByText("Tidak ada perkara yang cocok").waitFor();
});

test("a case shows one timeline across police, prosecutor and court, its suspects and restitution", async () => {
  const page = await newPage(env.browser);
  await login(page, env.gugus.url, "demo.sekretariat");
  const list = await api(page, "/api/v1/cases?limit=500");
  const types = (c) => new Set(c.agency_cases.map((a) => a.agency_type));
  const candidates = list.cases.filter((c) => types(c).size >= 3 && c.suspects > 0);
  assert.ok(candidates.length > 0, "the demo links police, prosecutor and court cases");
  // The one with restitution ordered, if any.
  const details = await Promise.all(candidates.map((c) => api(page, `/api/v1/cases/${c.case_id}`)));
  const detail = details.find((d) => d.restitution.ordered > 0) ?? details[0];

  // From the list, filtered by its stage.
  await page.goto(`${env.gugus.url}/perkara?tahap=${detail.stage.code}`);
  await page.locator(`table.case-list a[href="/perkara/${detail.case_id}"]`).click();
  await page.getByRole("heading", { level: 1, name: `Perkara ${detail.case_id}` }).waitFor();

  const timeline = page.getByTestId("timeline");
  await timeline.locator("li").first().waitFor();
  assert.equal(await timeline.locator("li").count(), detail.timeline.length);
  const agencyTypes = new Set(
    await timeline.locator("li").evaluateAll((lis) => lis.map((li) => li.dataset.agencyType)),
  );
  assert.ok(agencyTypes.size >= 2, `events of several agency types: ${[...agencyTypes]}`);
  for (const area of ["police", "prosecution", "court"])
    assert.ok((await timeline.locator(`li.area-${area}`).count()) > 0, `an event of the ${area}`);
  // Each agency's case number, and a suspect on the timeline.
  for (const a of detail.agency_cases)
    await page.locator(".agency-case-cards").getByText(a.case_ref, { exact: true }).waitFor();
  const named = detail.timeline.find((e) => e.suspect_name);
  await timeline.getByText(named.suspect_name, { exact: true }).first().waitFor();
  const verdict = detail.timeline.find((e) => e.verdict);
  if (verdict)
    await timeline.locator(".verdict").getByText(verdict.verdict === "guilty" ? "Bersalah" : "Bebas").first().waitFor();

  // The suspects, with the names each agency wrote.
  const suspects = page.getByTestId("suspects");
  assert.equal(await suspects.locator("tbody tr").count(), detail.suspect_list.length);
  for (const name of detail.suspect_list[0].names)
    await suspects.getByText(name, { exact: false }).first().waitFor();
  // Durations and restitution, in rupiah.
  const durations = page.getByTestId("durations");
  if (detail.durations.report_to_verdict_days !== null)
    await durations.getByText(`${id(detail.durations.report_to_verdict_days)} hari`).waitFor();
  const restitution = page.getByTestId("restitution");
  for (const k of ["claimed", "ordered", "paid"])
    if (detail.restitution[k] > 0)
      assert.match(await restitution.innerText(), rupiah(detail.restitution[k]));
  if (detail.victims.length > 0)
    await page.getByTestId("victims").getByText(detail.victims[0].record_id).waitFor();
  await shot(page, "15-case", { fullPage: true });

  // Absent: the same plain sentence as a person.
  await page.goto(`${env.gugus.url}/perkara/999999`);
  await page.getByRole("heading", { name: "Perkara tidak ditemukan" }).waitFor();
  await page
    .getByRole("alert")
    .getByText("Data yang dicari tidak ada, atau berada di luar wilayah dan lembaga Anda.")
    .waitFor();
});

test("an agency without legal files sees no case, not even by its number", async () => {
  const page = await newPage(env.browser);
  await login(page, env.gugus.url, "demo.uptd-ppa-jabar");
  await page.goto(env.gugus.url + "/perkara");
  await page.getByTestId("cases-empty").getByText("Belum ada perkara di wilayah dan lembaga Anda").waitFor();
  assert.equal(await page.locator("table.case-list").count(), 0);
  assert.equal((await api(page, "/api/v1/cases")).total, 0);
  await page.goto(env.gugus.url + "/perkara/1");
  await page.getByRole("heading", { name: "Perkara tidak ditemukan" }).waitFor();
});

test("an analyst reads the numbers but never a case", async () => {
  const page = await newPage(env.browser);
  await expectNoEntry(page, env.gugus.url, "demo.analis", "Perkara", "/perkara");
  await page.goto(env.gugus.url + "/perkara/1");
  await page.getByRole("alert").getByText("tidak berwenang").waitFor();
  await api(page, "/api/v1/cases", 403);

  await page.getByRole("navigation", { name: "Navigasi utama" }).getByRole("link", { name: "Penegakan hukum" }).click();
  const table = page.getByTestId("justice-table");
  await table.locator("tbody tr").first().waitFor();
  const years = await api(page, "/api/v1/justice?format=json");
  assert.ok(years.k >= 5);
  assert.equal(await table.locator("tbody tr").count(), years.rows.length);
  const counted = years.rows.find((r) => r.cases !== null);
  assert.equal(
    digits(await table.locator(`tbody tr[data-year="${counted.year}"] td[data-col=cases]`).innerText()),
    counted.cases,
  );
});

test("on a phone the cases are cards and the case page fits the screen", async () => {
  const page = await newPage(env.browser, { phone: true });
  await login(page, env.gugus.url, "demo.sekretariat");
  const overflow = () =>
    page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await page.goto(env.gugus.url + "/perkara?tahap=inkracht");
  const first = page.locator("table.case-list tbody tr").first();
  await first.waitFor();
  assert.ok((await page.locator("table.case-list thead").boundingBox()).width <= 1, "no table head");
  assert.ok((await overflow()) <= 1, "the case list does not scroll sideways");
  await first.locator("a").click();
  await page.getByTestId("timeline").locator("li").first().waitFor();
  assert.ok((await overflow()) <= 1, "the case page does not scroll sideways");
  await shot(page, "17-case-phone");
  await page.goto(env.gugus.url + "/keadilan");
  await page.getByTestId("justice-table").locator("tbody tr").first().waitFor();
  assert.ok((await overflow()) <= 1, "the numbers do not scroll sideways");
});
