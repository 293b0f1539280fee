// Login, wrong passwords, the language switch, logout and an expired session.
import { test } from "node:test";
import assert from "node:assert/strict";
import { expectNoEntry, login, newPage, shot, tokenOf, useGugus } from "./harness.mjs";

const env = useGugus();

test("the login screen is in Indonesian and refuses a wrong password plainly", async () => {
  const page = await newPage(env.browser);
  await page.goto(env.gugus.url + "/");
  await page.waitForURL("**/masuk");
  assert.equal(await page.getAttribute("html", "lang"), "id");
  await shot(page, "01-login");
  await page.getByRole("button", { name: "Masuk" }).click();
  await page.getByText("Isi nama pengguna Anda.").waitFor();
  await page.getByLabel("Nama pengguna").fill("demo.sekretariat");
  await page.getByLabel("Kata sandi").fill("bukan-kata-sandinya");
  await page.getByRole("button", { name: "Masuk" }).click();
  await page.getByRole("alert").getByText("Nama pengguna atau kata sandi salah").waitFor();
  assert.match(page.url(), /\/masuk$/);
});

test("a secretariat logs in, sees its menu, switches to English and logs out", async () => {
  const page = await newPage(env.browser);
  await login(page, env.gugus.url, "demo.sekretariat");
  const nav = page.getByRole("navigation", { name: "Navigasi utama" });
  for (const item of ["Dasbor", "Cari orang", "Impor berkas", "Tinjauan pasangan"])
    await nav.getByRole("link", { name: item }).waitFor();
  await page.getByTestId("who").getByText("demo.sekretariat").waitFor();
  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Dashboard" }).waitFor();
  assert.equal(await page.getAttribute("html", "lang"), "en");
  // The choice is remembered by this browser.
  await page.reload();
  await page.getByRole("button", { name: "Log out" }).waitFor();
  await page.getByRole("button", { name: "Bahasa Indonesia" }).click();
  // A search leaves names in this tab's storage (to come back to the results) ...
  await page.getByRole("link", { name: "Cari orang" }).click();
  await page.getByLabel("Nama, NIK atau nomor telepon").fill("siti");
  await page.getByRole("button", { name: "Cari", exact: true }).click();
  await page.locator("main a[href^='/orang/']").first().waitFor();
  assert.ok(await page.evaluate(() => sessionStorage.length) > 1);
  await page.getByRole("button", { name: "Keluar" }).click();
  await page.waitForURL("**/masuk");
  // ... and logging out forgets them with the token.
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  await page.goto(env.gugus.url + "/orang");
  await page.waitForURL("**/masuk");
});

test("an analyst sees no menu entry for records, and opening one is refused", async () => {
  const page = await newPage(env.browser);
  await expectNoEntry(page, env.gugus.url, "demo.analis", "Cari orang", "/orang");
});

test("a session revoked on the server returns to the login screen with a note", async () => {
  const page = await newPage(env.browser);
  await login(page, env.gugus.url, "demo.sekretariat");
  // The dashboard's own requests done first: one still in flight when the token is
  // revoked would end the session on that page, and the reload below would then
  // start without a token, and so without the note (seen once on a loaded machine).
  await page.waitForLoadState("networkidle");
  // Revoke the token behind the page's back, as an expiry would.
  const token = await tokenOf(page);
  const r = await fetch(env.gugus.url + "/api/v1/auth/logout", {
    method: "POST",
    headers: { Authorization: `Bearer ${token}` },
  });
  assert.equal(r.status, 200);
  await page.goto(env.gugus.url + "/orang");
  // The first API call gets 401: back to login, saying why.
  await page.waitForURL("**/masuk");
  await page.getByText("Sesi Anda telah berakhir").waitFor();
});
