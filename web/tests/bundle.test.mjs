// The whole application — every script and style sheet, including screens loaded
// later — stays under 1 MB gzipped, so a cold load over a slow connection is bearable.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { WEB_DIR } from "./harness.mjs";

const LIMIT = 1024 * 1024;

function gzipped(file) {
  return gzipSync(readFileSync(file), { level: 9 }).length;
}

test("all JS and CSS of the built app is under 1 MB gzipped", () => {
  const assets = path.join(WEB_DIR, "assets");
  const files = readdirSync(assets).filter((f) => /\.(js|css)$/.test(f));
  assert.ok(files.length > 0, "no built assets: run make build");
  const total = files.reduce((sum, f) => sum + gzipped(path.join(assets, f)), 0);
  console.log(`web app: ${files.length} files, ${(total / 1024).toFixed(1)} KiB gzipped`);
  assert.ok(total < LIMIT, `${total} bytes gzipped is over the 1 MB budget`);
});

test("the login screen loads only the entry script and style sheet", () => {
  const html = readFileSync(path.join(WEB_DIR, "index.html"), "utf8");
  const scripts = [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(scripts.length, 1);
  // Screens are separate chunks fetched when opened, not preloaded up front.
  const preloads = [...html.matchAll(/rel="modulepreload"[^>]*href="([^"]+)"/g)];
  const entry = gzipped(path.join(WEB_DIR, scripts[0]));
  console.log(`entry script: ${(entry / 1024).toFixed(1)} KiB gzipped, ${preloads.length} preloads`);
  assert.ok(entry < LIMIT / 2);
});
