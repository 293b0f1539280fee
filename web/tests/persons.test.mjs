// Person search and the person page: the secretariat finds a person known to
// several agencies and reads why their records were joined; a regency case worker
// finds only what lies in its own scope; a NIK finds its person; the search text
// never appears in a page address.
import { test } from "node:test";
import assert from "node:assert/strict";
import { expectNoEntry, login, newPage, shot, tokenOf, useGugus } from "./harness.mjs";

const KW_PASSWORD = "sukabumi-kw-2026";
// Synthetic people of the regency agency, with names no demo person is likely to carry.
const SUKABUMI_CSV = `record_id,report_date,name,nik,sex,birth_date,origin_region,phone,nationality,exploitation,recruitment,destination
SKB/001/2025,2025-03-10,Sulastri Nurhayati Gumilar,3202015403980001,P,1998-03-14,32.02,081234567801,ID,domestic_servitude,recruitment_company,MY
SKB/002/2025,2025-05-22,Euis Kurniasih Sumarna,3202016708010002,P,2001-08-27,32.02,,ID,forced_labour,family,SA
SKB/003/2025,2025-07-01,Dadan Ramdani Saputra,3202011211990003,L,1999-11-12,32.02,,ID,forced_labour,online_job,KH
`;
const OWN_NAME = "Sulastri Nurhayati Gumilar";
const OWN_PARTS = new Set(
  SUKABUMI_CSV.split("\n")
    .slice(1)
    .flatMap((l) => (l.split(",")[2] ?? "").toLowerCase().split(" ")),
);

// A small CSV reader (quoted cells, doubled quotes) → objects keyed by the header.
function parseCsv(text) {
  const rows = [];
  let row = [], cell = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(cell), (cell = "");
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(cell), rows.push(row), (row = []), (cell = "");
    } else cell += c;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  const [head, ...body] = rows.filter((r) => r.length > 1);
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ""])));
}

// person id → { agencies: Set, records: [record rows] }
const persons = new Map();

const env = useGugus({
  setup(gugus) {
    const records = new Map(
      parseCsv(gugus.gugus(["export", "records", "--format", "csv"])).map((r) => [
        `${r.agency}/${r.record_id}`,
        r,
      ]),
    );
    for (const l of parseCsv(gugus.gugus(["export", "links", "--format", "csv"]))) {
      const p = persons.get(l.person_id) ?? { id: l.person_id, agencies: new Set(), records: [] };
      p.agencies.add(l.agency);
      const r = records.get(`${l.agency}/${l.record_id}`);
      if (r) p.records.push(r);
      persons.set(l.person_id, p);
    }
  },
});

// A plain name (two parts or more, no titles or initials) of one of the person's records.
function plainName(p) {
  return p.records
    .map((r) => r.name)
    .find((n) => /^[A-Za-z]+( [A-Za-z]+)+$/.test(n) && !/\b(Hj|H|Ir|Dr|S)\b/.test(n));
}

async function search(page, text) {
  const box = page.getByLabel("Nama, NIK atau nomor telepon");
  await box.fill(text);
  await page.getByRole("button", { name: "Cari", exact: true }).click();
}

test("the secretariat finds a person by name and reads the records side by side", async () => {
  const subject = [...persons.values()]
    .filter((p) => p.agencies.size >= 2 && plainName(p))
    .sort((a, b) => b.agencies.size - a.agencies.size)[0];
  assert.ok(subject, "the demo data holds a person known to several agencies");
  const name = plainName(subject);

  const page = await newPage(env.browser);
  await login(page, env.gugus.url, "demo.sekretariat");
  const nav = page.getByRole("navigation", { name: "Navigasi utama" });
  await nav.getByRole("link", { name: "Cari orang" }).click();
  await page.getByRole("heading", { name: "Cari orang" }).waitFor();
  await search(page, name);
  const link = page.locator(`table.person-results a[href="/orang/${subject.id}"]`);
  await link.waitFor();
  await page.getByText(/Menampilkan \d+ orang/).waitFor();
  // The search text is in no address.
  assert.ok(!decodeURIComponent(page.url()).includes(name));
  assert.ok(!page.url().includes(encodeURIComponent(name)));
  await shot(page, "06-person-search");

  await link.click();
  await page.waitForURL(`**/orang/${subject.id}`);
  assert.match(page.url(), new RegExp(`/orang/${subject.id}$`));
  assert.ok(!decodeURIComponent(page.url()).includes(name));
  await page.getByRole("heading", { level: 1 }).waitFor();

  // The person's facts, each with how it was chosen and every record's value.
  await page.getByRole("heading", { name: "Fakta orang ini" }).waitFor();
  const facts = page.locator("table.facts-table");
  const sexRow = facts.getByRole("row", { name: /Jenis kelamin/ });
  await sexRow.waitFor();
  const api = await (
    await fetch(`${env.gugus.url}/api/v1/persons/${subject.id}`, {
      headers: { Authorization: `Bearer ${await tokenOf(page)}` },
    })
  ).json();
  const sex = api.facts.fields.find((f) => f.field === "sex");
  await sexRow.getByText(sex.value === "L" ? "Laki-laki" : "Perempuan").first().waitFor();
  assert.equal(await sexRow.locator("ul.sources li").count(), sex.sources.length);
  await facts.getByRole("row", { name: /Umur saat dieksploitasi/ }).waitFor();

  // One column per record, headed by the agency's name.
  const compare = page.locator("table.compare");
  await compare.waitFor();
  const columns = await compare.locator("thead th .agency").allTextContents();
  assert.ok(new Set(columns).size >= 2, `records of several agencies: ${columns}`);
  assert.ok(columns.every((c) => !/^[A-Z0-9-]+$/.test(c)), "agency names, not codes");
  await page.getByRole("row", { name: /Nama/ }).first().waitFor();

  // The timeline, in order, as a list.
  const timeline = page.getByRole("heading", { name: "Linimasa" });
  await timeline.waitFor();
  const dates = await page
    .locator("ol.timeline time")
    .evaluateAll((ts) => ts.map((t) => t.dateTime));
  assert.ok(dates.length >= subject.records.length, "a report date per record at least");
  assert.deepEqual(dates, [...dates].sort());
  await page.locator("ol.timeline li").getByText("Laporan diterima").first().waitFor();

  // The waterfall of each link, with the two records it joins.
  await page.getByRole("heading", { name: "Mengapa rekaman ini dianggap satu orang" }).waitFor();
  const cards = page.locator("article.link-card");
  assert.equal(await cards.count(), subject.records.length - 1);
  await cards.first().locator("figure.waterfall svg").first().waitFor();
  await cards.first().getByText(/Peluang orang yang sama: [\d,]+%/).waitFor();
  await shot(page, "07-person", { fullPage: true });

  // Back to the search: the results are still there, and still not in the address.
  await page.getByRole("link", { name: "Kembali ke pencarian" }).click();
  await link.waitFor();
  assert.equal(await page.getByLabel("Nama, NIK atau nomor telepon").inputValue(), name);
  assert.match(page.url(), /\/orang$/);
});

test("a regency case worker does not see another agency's person", async () => {
  env.gugus.gugus(["agency", "add", "UPTD-PPA-SUKABUMI", "--name", "UPTD PPA Kabupaten Sukabumi",
               "--type", "pppa_unit", "--region", "32.02"]);
  const file = env.gugus.writeFile("sukabumi.csv", SUKABUMI_CSV);
  env.gugus.gugus(["import", file, "--agency", "UPTD-PPA-SUKABUMI"]);
  env.gugus.gugus(["link"]);
  env.gugus.gugus(["user", "add", "kw.sukabumi", "--role", "caseworker", "--region", "32.02",
               "--agency", "UPTD-PPA-SUKABUMI", "--password-stdin"], KW_PASSWORD + "\n");

  // A person only UPTD-PPA-JABAR (the province's unit) knows, sharing no name part
  // with the regency's people.
  const other = [...persons.values()].find(
    (p) =>
      p.agencies.size === 1 &&
      p.agencies.has("UPTD-PPA-JABAR") &&
      plainName(p) &&
      !plainName(p).toLowerCase().split(" ").some((part) => OWN_PARTS.has(part)),
  );
  assert.ok(other, "the demo data holds a person known only to UPTD-PPA-JABAR");

  const page = await newPage(env.browser);
  await login(page, env.gugus.url, "kw.sukabumi", KW_PASSWORD);
  // The name index is rebuilt in the background after a link run: wait until the
  // server answers with the regency's own person.
  const token = await tokenOf(page);
  for (let i = 0; ; i++) {
    const r = await fetch(`${env.gugus.url}/api/v1/persons?q=${encodeURIComponent(OWN_NAME)}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if ((await r.json()).persons.length > 0) break;
    assert.ok(i < 100, "the name index caught up with the link run");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  await page.goto(env.gugus.url + "/orang");
  await search(page, plainName(other));
  await page.getByText("Tidak ada orang yang cocok").waitFor();
  assert.equal(await page.locator(`a[href="/orang/${other.id}"]`).count(), 0);

  await page.goto(`${env.gugus.url}/orang/${other.id}`);
  await page.getByRole("heading", { name: "Orang tidak ditemukan" }).waitFor();
  await page
    .getByRole("alert")
    .getByText("Data yang dicari tidak ada, atau berada di luar wilayah dan lembaga Anda.")
    .waitFor();
  assert.equal(await page.locator("table.compare").count(), 0);

  await page.getByRole("link", { name: "Kembali ke pencarian" }).click();
  await search(page, OWN_NAME);
  const own = page.locator("table.person-results a", { hasText: OWN_NAME });
  await own.waitFor();
  const row = page.locator("table.person-results tbody tr", {
    has: page.locator("a", { hasText: OWN_NAME }),
  });
  await row.getByText("UPTD PPA Kabupaten Sukabumi").waitFor();
  await row.getByText("Perempuan").waitFor();
  await own.click();
  await page.getByRole("heading", { level: 1, name: OWN_NAME }).waitFor();
  await page.locator("table.compare").getByText("SKB/001/2025").waitFor();
  await page.getByText("Hanya satu rekaman orang ini yang dapat Anda lihat").waitFor();
});

test("a NIK finds its person, and an empty search asks for something to look for", async () => {
  const subject = [...persons.values()].find(
    (p) => p.agencies.size >= 2 && p.records.some((r) => /^\d{16}$/.test(r.nik)),
  );
  assert.ok(subject, "the demo data holds a person with a NIK");
  const nik = subject.records.find((r) => /^\d{16}$/.test(r.nik)).nik;

  const page = await newPage(env.browser);
  await login(page, env.gugus.url, "demo.sekretariat");
  await page.goto(env.gugus.url + "/orang");
  await page.getByRole("button", { name: "Cari", exact: true }).click();
  await page.getByText("Ketik nama, NIK atau nomor telepon yang ingin dicari").waitFor();
  assert.equal(await page.getByRole("alert").count(), 0);

  await search(page, nik);
  const link = page.locator(`table.person-results a[href="/orang/${subject.id}"]`);
  await link.waitFor();
  await page
    .locator("table.person-results tbody tr", {
      has: page.locator(`a[href="/orang/${subject.id}"]`),
    })
    .getByText("NIK sama persis")
    .waitFor();
  assert.ok(!page.url().includes(nik));

  // A NIK nobody has: said plainly.
  await search(page, "9999999999999999");
  await page.getByText("Tidak ada orang yang cocok").waitFor();
});

test("on a phone the results and the person page fit the screen", async () => {
  const subject = [...persons.values()]
    .filter((p) => p.agencies.size >= 2 && plainName(p))
    .sort((a, b) => b.agencies.size - a.agencies.size)[0];
  const page = await newPage(env.browser, { phone: true });
  await login(page, env.gugus.url, "demo.sekretariat");
  await page.goto(env.gugus.url + "/orang");
  await search(page, plainName(subject));
  await page.locator(`table.person-results a[href="/orang/${subject.id}"]`).waitFor();
  const overflow = () =>
    page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
  assert.ok((await overflow()) <= 1, "the search page does not scroll sideways");
  await page.locator(`table.person-results a[href="/orang/${subject.id}"]`).click();
  await page.locator("article.link-card figure.waterfall svg").first().waitFor();
  assert.ok((await overflow()) <= 1, "the person page does not scroll sideways");
  await shot(page, "11-person-phone", { fullPage: true });
});

test("the secretariat works through the persons whose records disagree", async () => {
  const page = await newPage(env.browser);
  await login(page, env.gugus.url, "demo.sekretariat");
  await page
    .getByRole("navigation", { name: "Navigasi utama" })
    .getByRole("link", { name: "Data tidak cocok" })
    .click();
  await page.getByRole("heading", { level: 1, name: "Data yang tidak cocok" }).waitFor();
  const token = await tokenOf(page);
  const list = await (
    await fetch(`${env.gugus.url}/api/v1/disagreements?limit=10`, {
      headers: { Authorization: `Bearer ${token}` },
    })
  ).json();
  assert.ok(list.total > 0, "the demo data holds persons whose records disagree");
  const fmt = new Intl.NumberFormat("id-ID").format(list.total);
  await page.getByText(`${fmt} orang rekamannya tidak cocok.`).waitFor();

  // The first person: what differs, the value counted and each record's value.
  const first = list.persons[0];
  const card = page.locator("article.disagreement").first();
  await card.getByRole("link").first().waitFor();
  assert.equal(
    await card.getByRole("link").first().getAttribute("href"),
    `/orang/${first.person_id}`,
  );
  await card.getByText(/^Berbeda: /).waitFor();
  const rows = card.locator("table.facts-table tbody tr.diff");
  assert.equal(await rows.count(), first.fields.length);
  await rows.first().getByText("berbeda").waitFor();
  const fact = first.facts.fields.find((f) => f.field === first.fields[0]);
  assert.ok(fact.sources.length >= 2, "a disagreement has two records at least");
  assert.equal(await rows.first().locator("ul.sources li").count(), fact.sources.length);
  // The records side by side, on request.
  await card.getByText("Lihat semua rekaman berdampingan").click();
  const columns = await card.locator("table.compare thead th .small").allTextContents();
  assert.deepEqual(columns, first.records.map((r) => r.record_id));
  await shot(page, "13-disagreements", { fullPage: true });

  // The person page says the same.
  await card.getByRole("link").first().click();
  await page.waitForURL(`**/orang/${first.person_id}`);
  await page.locator("table.facts-table tr.diff").first().waitFor();
});

test("an analyst has no entry to the records that disagree", async () => {
  const page = await newPage(env.browser);
  await expectNoEntry(page, env.gugus.url, "demo.analis", "Data tidak cocok", "/data-tidak-cocok");
});
