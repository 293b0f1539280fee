// Administration: accounts with one-time passwords, disabling, agencies at a
// regency, a change refused because someone else changed the data first, and a
// caseworker kept out.
import { test } from "node:test";
import assert from "node:assert/strict";
import { expectNoEntry, login, newPage, shot, submitLogin, tokenOf, useGugus } from "./harness.mjs";

const env = useGugus();

async function openAdmin(page, tab = "Pengguna") {
  await page.getByRole("navigation", { name: "Navigasi utama" })
    .getByRole("link", { name: "Administrasi" }).click();
  await page.getByRole("heading", { name: "Administrasi", level: 1 }).waitFor();
  await page.getByRole("tab", { name: tab }).click();
  await page.getByRole("tab", { name: tab, selected: true }).waitFor();
}

// The API as the page's own session sees it (the token is in its sessionStorage).
async function api(page, method, path, body) {
  const token = await tokenOf(page);
  const r = await fetch(env.gugus.url + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, body: await r.json() };
}

test("the admin adds a caseworker with a one-time password; they must choose their own", async () => {
  const page = await newPage(env.browser);
  await login(page, env.gugus.url, "demo.admin");
  await openAdmin(page);
  const table = page.getByRole("table", { name: "Daftar pengguna" });
  await table.getByRole("rowheader", { name: "demo.uptd-ppa-jabar" }).waitFor();

  const add = page.getByRole("button", { name: "Tambah pengguna" });
  await add.click();
  const dialog = page.getByRole("dialog", { name: "Tambah pengguna" });
  // Focus starts in the form.
  await dialog.getByLabel("Nama pengguna").waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), "user-username");

  // The form's own checks come first, next to the fields.
  await dialog.getByRole("button", { name: "Buat akun" }).click();
  await dialog.getByText("Isi nama pengguna.").waitFor();
  await dialog.getByText("Pilih peran.").waitFor();

  // A username that is taken gets its own sentence.
  await dialog.getByLabel("Nama pengguna").fill("demo.polda-ntt");
  await dialog.getByLabel("Peran").selectOption("caseworker");
  await dialog.getByLabel("Lembaga").selectOption("UPTD-PPA-JABAR");
  // Choosing the agency sets the region to the agency's own.
  assert.equal(await dialog.getByLabel("Provinsi").inputValue(), "32");
  await dialog.getByLabel("Kabupaten/kota").selectOption("32.02");
  await dialog.getByRole("button", { name: "Buat akun" }).click();
  await dialog.getByRole("alert").getByText("Nama pengguna itu sudah dipakai").waitFor();

  await dialog.getByLabel("Nama pengguna").fill("siti.sukabumi");
  await dialog.getByRole("button", { name: "Buat akun" }).click();
  const done = page.getByRole("dialog", { name: "Pengguna ditambahkan" });
  await done.getByText("Kata sandi sekali pakai untuk siti.sukabumi").waitFor();
  await done.getByText("Hanya ditampilkan sekali ini.").waitFor();
  const oneTime = (await done.getByTestId("one-time-password").textContent()).trim();
  assert.ok(oneTime.length >= 10, "a one-time password is shown");
  await done.getByRole("button", { name: "Selesai, sudah saya catat" }).click();
  await done.waitFor({ state: "detached" });
  // Focus returns to the button that opened the dialog.
  assert.equal(await add.evaluate((el) => el === document.activeElement), true);

  const row = table.getByRole("row").filter({ hasText: "siti.sukabumi" });
  await row.getByText("Pendamping kasus").waitFor();
  await row.getByText("Kabupaten Sukabumi").waitFor();
  await row.getByText("Ya", { exact: true }).waitFor();
  await page.getByRole("status").getByText("Akun siti.sukabumi sudah dibuat.").waitFor();
  await shot(page, "09-admin-users");

  // The new caseworker logs in with it in a fresh browser and must change it.
  const fresh = await newPage(env.browser);
  await login(fresh, env.gugus.url, "siti.sukabumi", oneTime);
  await fresh.getByText("Anda masuk dengan kata sandi sekali pakai").waitFor();
  await fresh.getByLabel("Kata sandi sekarang").fill(oneTime);
  await fresh.getByLabel("Kata sandi baru", { exact: true }).fill("sukabumi-aman-2026");
  await fresh.getByLabel("Ulangi kata sandi baru").fill("sukabumi-aman-2026");
  await fresh.getByRole("button", { name: "Simpan kata sandi" }).click();
  await fresh.getByRole("navigation", { name: "Navigasi utama" }).waitFor();
  await fresh.getByTestId("who").getByText("siti.sukabumi").waitFor();
  await fresh.context().close();

  // Back in the admin's list, the account no longer must change its password.
  await page.reload();
  await page.getByRole("tab", { name: "Pengguna", selected: true }).waitFor();
  await table.getByRole("row").filter({ hasText: "siti.sukabumi" }).getByText("Tidak", { exact: true }).waitFor();
  await page.context().close();
});

test("the admin resets a password and disables an account, which then cannot log in", async () => {
  const page = await newPage(env.browser);
  await login(page, env.gugus.url, "demo.admin");
  await openAdmin(page);
  const table = page.getByRole("table", { name: "Daftar pengguna" });

  // One's own account cannot be disabled: the server says no, plainly.
  await table.getByRole("button", { name: "Nonaktifkan demo.admin" }).click();
  await page.getByRole("alert")
    .getByText("Anda tidak dapat menonaktifkan akun Anda sendiri").waitFor();

  // A reset shows a new one-time password, once.
  await table.getByRole("button", { name: "Atur ulang sandi demo.dinsos-ntb" }).click();
  const reset = page.getByRole("dialog", { name: "Atur ulang kata sandi demo.dinsos-ntb" });
  await reset.getByRole("button", { name: "Buat kata sandi sekali pakai" }).click();
  const oneTime = (await reset.getByTestId("one-time-password").textContent()).trim();
  assert.ok(oneTime.length >= 10);
  await reset.getByRole("button", { name: "Selesai, sudah saya catat" }).click();
  await table.getByRole("row").filter({ hasText: "demo.dinsos-ntb" })
    .getByText("Ya", { exact: true }).waitFor();

  await table.getByRole("button", { name: "Nonaktifkan demo.bp3mi-jatim" }).click();
  await page.getByRole("status")
    .getByText("Akun demo.bp3mi-jatim dinonaktifkan").waitFor();
  const row = table.getByRole("row").filter({ hasText: "demo.bp3mi-jatim" });
  await row.getByText("Nonaktif", { exact: true }).waitFor();
  await row.getByRole("button", { name: "Aktifkan demo.bp3mi-jatim" }).waitFor();

  const other = await newPage(env.browser);
  await submitLogin(other, env.gugus.url, "demo.bp3mi-jatim", "demo-gugus-2026");
  await other.getByRole("alert").waitFor();
  assert.match(other.url(), /\/masuk$/);
  await other.context().close();
  await page.context().close();
});

test("the admin adds an agency at a regency and a stale change is refused plainly", async () => {
  const page = await newPage(env.browser);
  await login(page, env.gugus.url, "demo.admin");
  await openAdmin(page, "Lembaga");
  const table = page.getByRole("table", { name: "Daftar lembaga" });
  await table.getByRole("rowheader", { name: "POLDA-NTT" }).waitFor();

  await page.getByRole("button", { name: "Tambah lembaga" }).click();
  const dialog = page.getByRole("dialog", { name: "Tambah lembaga" });
  await dialog.getByLabel("Kode").fill("UPTD-PPA-SUKABUMI");
  await dialog.getByLabel("Nama").fill("UPTD PPA Kabupaten Sukabumi");
  await dialog.getByLabel("Jenis").selectOption("pppa_unit");
  await dialog.getByLabel("Provinsi").selectOption("32");
  await dialog.getByLabel("Kabupaten/kota").selectOption("32.02");
  await dialog.getByRole("button", { name: "Tambahkan lembaga" }).click();
  await dialog.waitFor({ state: "detached" });
  const row = table.getByRole("row").filter({ hasText: "UPTD-PPA-SUKABUMI" });
  await row.getByText("UPTD PPA Kabupaten Sukabumi").waitFor();
  await row.getByText("UPTD PPA", { exact: true }).waitFor();
  await row.getByText("Kabupaten Sukabumi", { exact: true }).waitFor();
  await page.getByRole("status").getByText("Lembaga UPTD-PPA-SUKABUMI sudah ditambahkan.").waitFor();
  await shot(page, "10-admin-agencies");

  // The same code again is refused with its own sentence.
  await page.getByRole("button", { name: "Tambah lembaga" }).click();
  await dialog.getByLabel("Kode").fill("POLDA-NTT");
  await dialog.getByLabel("Nama").fill("Duplikat");
  await dialog.getByLabel("Jenis").selectOption("police");
  await dialog.getByLabel("Provinsi").selectOption("53");
  await dialog.getByRole("button", { name: "Tambahkan lembaga" }).click();
  await dialog.getByRole("alert").getByText("Kode lembaga itu sudah dipakai").waitFor();
  await dialog.getByRole("button", { name: "Batal" }).click();

  // Open POLDA-NTT for editing, then someone else changes it first.
  await table.getByRole("button", { name: "Ubah POLDA-NTT" }).click();
  const edit = page.getByRole("dialog", { name: "Ubah lembaga POLDA-NTT" });
  await edit.getByLabel("Nama").fill("Polda NTT (diubah di layar)");
  const current = await api(page, "GET", "/api/v1/agencies/POLDA-NTT");
  const other = await api(page, "PATCH", "/api/v1/agencies/POLDA-NTT", {
    name: "Polda NTT (diubah orang lain)",
    version: current.body.version,
  });
  assert.equal(other.status, 200);
  await edit.getByRole("button", { name: "Simpan" }).click();
  await edit.getByRole("alert").getByText("baru saja diubah orang lain").waitFor();
  // Loading the latest shows the other change; making ours again then works.
  await edit.getByRole("button", { name: "Muat data terbaru" }).click();
  await edit.getByRole("status").getByText("Data terbaru sudah dimuat").waitFor();
  assert.equal(await edit.getByLabel("Nama").inputValue(), "Polda NTT (diubah orang lain)");
  await edit.getByLabel("Nama").fill("Kepolisian Daerah NTT");
  await edit.getByRole("button", { name: "Simpan" }).click();
  await edit.waitFor({ state: "detached" });
  await table.getByRole("row").filter({ hasText: "POLDA-NTT" })
    .getByText("Kepolisian Daerah NTT").waitFor();
  await page.context().close();
});

test("on a phone the tables scroll inside their frame", async () => {
  const page = await newPage(env.browser, { phone: true });
  await login(page, env.gugus.url, "demo.admin");
  await page.goto(env.gugus.url + "/admin");
  await page.getByRole("table", { name: "Daftar pengguna" }).waitFor();
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 1, `the page itself does not scroll sideways (${overflow}px)`);
  await page.getByRole("table").getByText("Jawa Timur", { exact: true }).waitFor();
  await page.getByRole("button", { name: "Tambah pengguna" }).click();
  await page.getByRole("dialog").getByLabel("Lembaga").selectOption("POLDA-NTT");
  await page.context().close();
});

test("a caseworker sees no administration and /admin is refused", async () => {
  const page = await newPage(env.browser);
  await expectNoEntry(page, env.gugus.url, "demo.uptd-ppa-jabar", "Administrasi", "/admin");
  assert.equal(await page.getByRole("tab").count(), 0);
  await page.context().close();
});
