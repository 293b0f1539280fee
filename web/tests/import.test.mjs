// The import wizard: a caseworker imports a CSV with good and bad rows, reads the
// rejected rows and their reasons, downloads them as CSV, imports the same file again
// (nothing changes); wrong, empty and binary files get plain sentences; only the
// agencies an account may submit for are offered; an analyst has no import at all.
// Every name in the fixtures is synthetic.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { expectNoEntry, login, newPage, shot, useGugus } from "./harness.mjs";

const env = useGugus();

// Line 1 is the header; lines 4, 5 and 7 are rejected, line 6 has a bad NIK (kept with
// a warning), line 8 is blank.
const GOOD_AND_BAD = [
  "id_rekaman,tanggal_laporan,nama,nik,jenis_kelamin,tanggal_lahir,daerah_asal",
  "UJI-001,2024-03-14,Siti Aminah Uji,,P,1998-05-02,Kab. Cianjur",
  "UJI-002,15/03/2024,Dewi Lestari Uji,,P,,",
  "UJI-003,2024-03-16,,,P,,",
  "UJI-004,31/02/2024,Rina Marlina Uji,,P,,",
  "UJI-005,2024-03-18,Agus Setiawan Uji,12345,L,,",
  "UJI-006,2024-03-19,Nur Halimah Uji,,P,2030-01-01,",
  ",,,,,,",
  "",
].join("\r\n");

async function openImport(page) {
  await page.getByRole("navigation", { name: "Navigasi utama" })
    .getByRole("link", { name: "Impor berkas" }).click();
  await page.getByRole("heading", { name: "Impor berkas data" }).waitFor();
}

async function count(page, name) {
  return (await page.getByTestId(`count-${name}`).locator("dd").textContent()).trim();
}

test("a caseworker imports good and bad rows, reads the rejects and downloads them", async () => {
  const page = await newPage(env.browser);
  await login(page, env.gugus.url, "demo.uptd-ppa-jabar");
  await openImport(page);

  // Only its own agency, already chosen.
  const select = page.getByLabel("Lembaga", { exact: true });
  assert.deepEqual(await select.locator("option").evaluateAll((os) => os.map((o) => o.value)),
                   ["UPTD-PPA-JABAR"]);
  assert.equal(await select.inputValue(), "UPTD-PPA-JABAR");

  const file = env.gugus.writeFile("laporan-maret.csv", GOOD_AND_BAD);
  await page.getByLabel("Berkas data (CSV, XLSX atau JSON-lines)").setInputFiles(file);
  await page.getByTestId("chosen-file").getByText("laporan-maret.csv").waitFor();
  await page.getByRole("button", { name: "Unggah dan periksa" }).click();

  const heading = page.getByRole("heading", { name: "Hasil impor" });
  await heading.waitFor();
  await page.waitForFunction(() => document.activeElement?.id === "import-summary-h");
  assert.equal(await count(page, "rows"), "6");
  assert.equal(await count(page, "inserted"), "3");
  assert.equal(await count(page, "updated"), "0");
  assert.equal(await count(page, "rejected"), "3");
  assert.equal(await count(page, "warnings"), "1");
  assert.equal(await count(page, "blank"), "1");
  await page.getByText("3 baris ditolak dan tidak disimpan").waitFor();
  // The job linked the new records at once: they belong to persons now.
  await page.getByTestId("linked").getByText("sudah ditautkan").waitFor();
  const links = env.gugus.gugus(["export", "links", "--format", "csv"]);
  const linked = links.split("\n").filter((l) => l.startsWith("UPTD-PPA-JABAR,UJI-"));
  assert.equal(linked.length, 3, links.slice(0, 200));

  // Each rejected row: its line, the reasons in Indonesian, the raw values.
  const table = page.getByRole("table", { name: /Baris yang ditolak/ });
  await table.waitFor();
  const lines = await table.locator("tbody tr").evaluateAll((rs) => rs.map((r) => r.dataset.line));
  assert.deepEqual(lines, ["4", "5", "7"]);
  const row = (line) => table.locator(`tbody tr[data-line="${line}"]`);
  await row(4).getByText("Nama belum diisi, padahal wajib.").waitFor();
  await row(4).getByText("UJI-003").waitFor();
  await row(5).getByText("Tanggal laporan bukan tanggal yang ada di kalender").waitFor();
  await row(5).getByText("Rina Marlina Uji").waitFor();
  await row(7).getByText("Tanggal lahir jatuh sesudah tanggal laporan.").waitFor();
  // The summary's top at the top of the screen, as after scrolling down to it.
  await page.evaluate(() => {
    const top = document.getElementById("import-summary-h").getBoundingClientRect().top;
    window.scrollBy(0, top - 24);
  });
  await shot(page, "04-import");

  // The rejects as CSV, fetched with the token and saved by the browser.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Unduh baris ditolak (CSV)" }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^ditolak-impor-\d+\.csv$/);
  const csv = (await readFile(await download.path(), "utf8")).replace(/^\ufeff/, "");
  const csvLines = csv.trim().split(/\r?\n/);
  assert.match(csvLines[0], /^batch,agency,file,line,reasons,/);
  assert.equal(csvLines.length, 4);
  assert.match(csvLines[1], /,laporan-maret\.csv,4,name is empty,UJI-003,/);
  assert.match(csvLines[2], /,5,.*Rina Marlina Uji/);
  assert.match(csvLines[3], /,7,.*Nur Halimah Uji/);

  // The same file again: nothing changes.
  await page.getByRole("button", { name: "Impor berkas lain" }).click();
  await page.getByLabel("Berkas data (CSV, XLSX atau JSON-lines)").setInputFiles(file);
  await page.getByRole("button", { name: "Unggah dan periksa" }).click();
  await heading.waitFor();
  await page.getByText("Berkas ini sudah pernah diimpor — tidak ada yang berubah.").waitFor();
  assert.equal(await count(page, "inserted"), "0");

  // The earlier imports list this file; its rejects open from there.
  const history = page.getByRole("region", { name: /Impor sebelumnya/ });
  const open = history.getByRole("button", { name: "Lihat alasan: laporan-maret.csv" });
  assert.ok((await open.count()) >= 1);
  await open.first().click();
  await history.getByRole("heading", { name: "Baris yang ditolak dari laporan-maret.csv" }).waitFor();
  await history.locator('tbody tr[data-line="5"]').getByText("bukan tanggal yang ada").waitFor();
});

test("empty, wrong and binary files and missing columns get plain sentences", async () => {
  const page = await newPage(env.browser);
  await login(page, env.gugus.url, "demo.uptd-ppa-jabar");
  await openImport(page);
  const input = page.getByLabel("Berkas data (CSV, XLSX atau JSON-lines)");
  const submit = page.getByRole("button", { name: "Unggah dan periksa" });

  // Refused before upload.
  await input.setInputFiles(env.gugus.writeFile("kosong.csv", ""));
  await page.getByRole("alert").getByText('Berkas "kosong.csv" kosong (0 bita).').waitFor();
  await input.setInputFiles(env.gugus.writeFile("laporan.pdf", "%PDF-1.4 bukan data"));
  await page.getByRole("alert").getByText("bukan CSV, XLSX atau JSON-lines").waitFor();
  await submit.click();
  await page.getByRole("heading", { name: "Hasil impor" }).count().then((n) => assert.equal(n, 0));

  // Refused by the server: a binary file with a .csv name.
  const binary = Buffer.alloc(2048);
  for (let i = 0; i < binary.length; i++) binary[i] = (i * 37) % 256;
  await input.setInputFiles(env.gugus.writeFile("foto.csv", binary));
  await submit.click();
  await page.getByRole("heading", { name: "Berkas tidak dapat diimpor" }).waitFor();
  const alert = page.getByRole("alert");
  await alert.getByText("Berkas ini bukan berkas teks").waitFor();
  await alert.getByText("Rincian dari server: the file is not text (binary data)").waitFor();
  await page.waitForFunction(() => document.activeElement?.id === "import-failed-h");

  // A CSV without the required columns.
  await page.getByRole("button", { name: "Pilih berkas lain" }).click();
  await input.setInputFiles(
    env.gugus.writeFile("salah-kolom.csv", "nomor,nama_lengkap\n1,Budi Uji\n"),
  );
  await submit.click();
  await page.getByRole("alert").getByText("Judul kolom wajib tidak ditemukan.").waitFor();
  await page.getByRole("alert").getByText(/lacks required column/).waitFor();
});

test("the progress of a running import is shown and announced", async () => {
  const page = await newPage(env.browser);
  await login(page, env.gugus.url, "demo.uptd-ppa-jabar");
  await openImport(page);
  // Hold the job's polls so the running view can be seen: the first poll answers
  // "running, half done", the next one waits until the screenshot is taken.
  let polls = 0;
  let release;
  const released = new Promise((resolve) => (release = resolve));
  await page.route("**/api/v1/jobs/*", async (route) => {
    polls += 1;
    if (polls === 1) {
      const real = await route.fetch();
      const job = await real.json();
      job.state = "running";
      job.progress = { done: 5, total: 10, items: 1234 };
      delete job.result;
      await route.fulfill({ json: job });
      return;
    }
    await released;
    await route.continue();
  });
  const rows = ["record_id,report_date,name,sex"];
  for (let i = 1; i <= 20; i++) rows.push(`PRG-${i},2024-04-0${1 + (i % 9)},Warga Uji ${i},P`);
  await page.getByLabel("Berkas data (CSV, XLSX atau JSON-lines)")
    .setInputFiles(env.gugus.writeFile("april.csv", rows.join("\n")));
  await page.getByRole("button", { name: "Unggah dan periksa" }).click();
  const status = page.getByRole("status").filter({ hasText: "Membaca dan memeriksa baris" });
  await status.getByText("1.234 baris sejauh ini (50%)").waitFor();
  assert.equal(await page.locator("progress").getAttribute("value"), "50");
  await shot(page, "05-import-progress");
  release();
  await page.getByRole("heading", { name: "Hasil impor" }).waitFor();
  assert.equal(await count(page, "inserted"), "20");
  await page.getByText("Semua baris diterima.").waitFor();
});

test("a secretariat chooses among agencies; an analyst has no import", async () => {
  const page = await newPage(env.browser);
  await login(page, env.gugus.url, "demo.sekretariat");
  await openImport(page);
  const select = page.getByLabel("Lembaga", { exact: true });
  const options = await select.locator("option").evaluateAll((os) => os.map((o) => o.value));
  assert.equal(options[0], "");
  assert.ok(options.length > 2, `several agencies, got ${options.length - 1}`);
  assert.ok(options.includes("UPTD-PPA-JABAR"));
  await page.getByRole("button", { name: "Unggah dan periksa" }).click();
  await page.getByText("Pilih lembaga pengirim terlebih dahulu.").waitFor();
  await select.selectOption("UPTD-PPA-JABAR");
  await page.getByRole("region", { name: /Impor sebelumnya oleh/ }).waitFor();

  const analyst = await newPage(env.browser);
  await expectNoEntry(analyst, env.gugus.url, "demo.analis", "Impor berkas", "/impor");
});

test("the wizard works on a phone and in English, by keyboard", async () => {
  const page = await newPage(env.browser, { phone: true });
  await login(page, env.gugus.url, "demo.uptd-ppa-jabar");
  await page.getByRole("button", { name: "Menu" }).click();
  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("link", { name: "Import a file" }).click();
  await page.getByRole("heading", { name: "Import a data file" }).waitFor();
  const rows = ["nama,id_rekaman,tanggal_laporan,umur", "Yuliani Uji,HP-1,2024-05-02,200"];
  await page.getByLabel("Data file (CSV, XLSX or JSON-lines)")
    .setInputFiles(env.gugus.writeFile("hp.csv", rows.join("\n")));
  await page.getByRole("button", { name: "Upload and check" }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Import result" }).waitFor();
  await page.getByText("Age must be a whole number of years from 0 to 120.").waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no sideways scrolling, page is ${width}px wide`);
});
