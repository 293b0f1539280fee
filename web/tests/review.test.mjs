// The review queue: a pair side by side with its match weights, a decision by click
// and by keyboard shortcut, the unified person count following each decision, the
// queue (and the CLI's list) shrinking, and no entry for an analyst.
import { test } from "node:test";
import assert from "node:assert/strict";
import { expectNoEntry, login, newPage, shot, tokenOf, useGugus } from "./harness.mjs";

const env = useGugus({ persons: 800 });

const fmt = (n) => new Intl.NumberFormat("id-ID").format(n);

// The API as the page's own session sees it.
async function api(page, path, init = {}) {
  const token = await tokenOf(page);
  const r = await fetch(env.gugus.url + path, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
  });
  assert.ok(r.ok, `${path}: ${r.status}`);
  return r.json();
}

async function waitExact(locator, text) {
  await locator.filter({ hasText: new RegExp(`^\\s*${text.replace(/[.+]/g, "\\$&")}\\s*$`) })
    .waitFor();
}

// The item numbers `gugus review list` still shows.
function cliItems() {
  const list = env.gugus.gugus(["review", "list"]);
  return [...list.matchAll(/^item (\d+)\s/gm)].map((m) => Number(m[1]));
}

test("an analyst has no review entry and cannot open the queue", async () => {
  const page = await newPage(env.browser);
  await expectNoEntry(page, env.gugus.url, "demo.analis", "Tinjauan pasangan", "/tinjauan");
  assert.equal(await page.locator("article.review-pair").count(), 0);
});

test("the secretariat decides a pair by click and the next by keyboard", async () => {
  const page = await newPage(env.browser);
  await login(page, env.gugus.url, "demo.sekretariat");
  await page
    .getByRole("navigation", { name: "Navigasi utama" })
    .getByRole("link", { name: "Tinjauan pasangan" })
    .click();
  await page.getByRole("heading", { level: 1, name: "Tinjauan pasangan" }).waitFor();

  const list0 = await api(page, "/api/v1/review?limit=500");
  const queue0 = list0.items;
  assert.ok(queue0.length >= 3, `demo queue has ${queue0.length} pairs`);
  // The count shown is the API's total (the whole queue, not one page).
  assert.equal((await api(page, "/api/v1/review?limit=1")).total, list0.total);
  assert.equal(list0.total, queue0.length);
  const unified0 = (await api(page, "/api/v1/stats/reconciliation")).unified_persons;
  const waiting = page.getByTestId("review-waiting");
  const unified = page.getByTestId("review-unified");
  await waitExact(waiting, fmt(queue0.length));
  await waitExact(unified, fmt(unified0));

  // The most uncertain pair first, side by side, with its weights.
  const card = page.locator("article.review-pair");
  await card.waitFor();
  assert.equal(await card.getAttribute("data-item"), String(queue0[0].item));
  await card.getByRole("heading", { name: `Pasangan #${queue0[0].item}` }).waitFor();
  const compare = card.locator("table.compare");
  await compare.getByRole("columnheader", { name: queue0[0].a.record_id }).waitFor();
  await compare.getByRole("columnheader", { name: queue0[0].b.record_id }).waitFor();
  await card.getByRole("heading", { name: "Bobot kecocokan" }).waitFor();
  await card.locator("figure.waterfall svg").first().waitFor();
  await card.getByText("Peluang orang yang sama menurut model").waitFor();
  const same = card.getByRole("button", { name: "Orang yang sama" });
  assert.equal(await same.getAttribute("aria-keyshortcuts"), "S");
  await card.getByRole("button", { name: "Orang berbeda" }).waitFor();
  await card.getByRole("button", { name: "Lewati" }).waitFor();

  // Skip to a pair whose two records are two persons, one of them known from
  // several records: "the same person" merges the two persons whole, so the count
  // drops by exactly one and the merged person holds every record of both.
  let target = null;
  let merged = 0;
  for (const i of queue0) {
    if (!i.a.person_id || !i.b.person_id || i.a.person_id === i.b.person_id) continue;
    const [pa, pb] = await Promise.all(
      [i.a.person_id, i.b.person_id].map((p) => api(page, `/api/v1/persons/${p}`)),
    );
    if (pa.records.length + pb.records.length >= 3) {
      target = i;
      merged = pa.records.length + pb.records.length;
      break;
    }
  }
  assert.ok(target, "a pair of two persons, one of several records");
  for (let shown = queue0[0].item; shown !== target.item; ) {
    await card.getByRole("button", { name: "Lewati" }).click();
    await page.locator(`article.review-pair:not([data-item="${shown}"])`).waitFor();
    shown = Number(await card.getAttribute("data-item"));
  }
  await card.getByText("Saat ini tercatat sebagai dua orang").waitFor();
  const personA = target.a.person_id;
  await compare.getByRole("columnheader", { name: target.a.record_id }).waitFor();
  await shot(page, "08-review");

  // "The same person" by click: relinked, confirmed, one person fewer.
  await card.getByLabel("Catatan").fill("Nama dan daerah asal cocok.");
  await same.click();
  await page
    .getByTestId("review-status")
    .getByText(`Tersimpan: pasangan #${target.item} adalah orang yang sama.`)
    .waitFor();
  await waitExact(unified, fmt(unified0 - 1));
  await page.getByTestId("review-status").getByText(`menjadi ${fmt(unified0 - 1)}`).waitFor();
  assert.equal(
    (await api(page, "/api/v1/stats/reconciliation")).unified_persons,
    unified0 - 1,
  );
  // The person pages show the merge: one person with every record of both.
  const ids = [personA, target.b.person_id];
  const pages = await Promise.all(
    ids.map(async (id) => {
      const token = await tokenOf(page);
      const r = await fetch(`${env.gugus.url}/api/v1/persons/${id}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      return r.ok ? r.json() : null;
    }),
  );
  const survivor = pages.find((p) => p !== null);
  assert.ok(survivor, "one of the two person ids lives on");
  assert.equal(pages.filter((p) => p !== null).length, 1, "the other was retired");
  assert.equal(survivor.records.length, merged);
  // The next pair follows by itself and the queue is one shorter.
  await page.locator(`article.review-pair:not([data-item="${target.item}"])`).waitFor();
  await waitExact(waiting, fmt(queue0.length - 1));
  const queue1 = (await api(page, "/api/v1/review?limit=500")).items;
  assert.equal(queue1.length, queue0.length - 1);
  assert.ok(!queue1.some((i) => i.item === target.item));
  assert.equal(await card.getByLabel("Catatan").inputValue(), "");

  // Letters typed into the note are text, not shortcuts.
  const next = Number(await card.getAttribute("data-item"));
  await card.getByLabel("Catatan").pressSequentially("bsl");
  assert.equal(await card.getByLabel("Catatan").inputValue(), "bsl");
  assert.equal(await card.getAttribute("data-item"), String(next));
  assert.equal(await card.getByRole("button", { name: "Orang berbeda" }).isEnabled(), true);
  await card.getByLabel("Catatan").fill("");
  await page.keyboard.press("Escape");

  // "Different people" by keyboard: B.
  await page.keyboard.press("b");
  await page
    .getByTestId("review-status")
    .getByText(`Tersimpan: pasangan #${next} adalah orang berbeda.`)
    .waitFor();
  await waitExact(waiting, fmt(queue0.length - 2));
  await page.locator(`article.review-pair:not([data-item="${next}"])`).waitFor();
  // The new pair has the focus, so shortcuts and screen readers go on from there.
  assert.equal(await page.evaluate(() => document.activeElement?.id), "pair-title");

  const queue2 = (await api(page, "/api/v1/review?limit=500")).items.map((i) => i.item);
  assert.equal(queue2.length, queue0.length - 2);
  assert.ok(!queue2.includes(next) && !queue2.includes(target.item));
  const listed = cliItems();
  assert.ok(!listed.includes(target.item), "CLI no longer lists the first decision");
  assert.ok(!listed.includes(next), "CLI no longer lists the second decision");
  assert.deepEqual([...listed].sort((a, b) => a - b), [...queue2].sort((a, b) => a - b));
});

test("on a phone the pair stacks and the page does not scroll sideways", async () => {
  const page = await newPage(env.browser, { phone: true });
  await login(page, env.gugus.url, "demo.sekretariat");
  await page.goto(env.gugus.url + "/tinjauan");
  const card = page.locator("article.review-pair");
  await card.locator("table.compare").waitFor();
  await card.locator("figure.waterfall svg").first().waitFor();
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 0, `page wider than the phone by ${overflow}px`);
  const records = await card.locator(".pair-records").boundingBox();
  const weights = await card.locator(".pair-weights").boundingBox();
  assert.ok(weights.y >= records.y + records.height - 1, "weights below the records");
  await card.locator(".pair-records").evaluate((e) => e.scrollIntoView({ block: "start" }));
  await shot(page, "12-review-phone");
});

test("in English, and an empty queue says so", async () => {
  const page = await newPage(env.browser);
  await login(page, env.gugus.url, "demo.sekretariat");
  await page.goto(env.gugus.url + "/tinjauan");
  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("heading", { level: 1, name: "Pair review" }).waitFor();
  await page.locator("article.review-pair").getByRole("button", { name: "Same person" }).waitFor();
  // Decide the rest through the API, then the screen has nothing left. One at a
  // time: the relink after a decision may replace the items of the records it touched.
  for (let round = 0; round < 500; ++round) {
    const [i] = (await api(page, "/api/v1/review?limit=1")).items;
    if (!i) break;
    const job = await api(page, `/api/v1/review/${i.item}/decision`, {
      method: "POST",
      body: JSON.stringify({ decision: "different" }),
    });
    for (let j = job; j.state !== "done"; j = await api(page, `/api/v1/jobs/${job.id}`))
      assert.notEqual(j.state, "failed");
  }
  await page.reload();
  await page.getByRole("heading", { name: "No pairs are waiting" }).waitFor();
  await waitExact(page.getByTestId("review-waiting"), "0");
  assert.equal(await page.locator("article.review-pair").count(), 0);
  assert.deepEqual(cliItems(), []);
});
