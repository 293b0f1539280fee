// The web application: built into web/dist, which `gugus serve` serves.
// `npx vite --config web/vite.config.ts` serves it for development and sends /api
// and /healthz to a `gugus serve` on port 8080.
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2020",
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: { "/api": "http://localhost:8080", "/healthz": "http://localhost:8080" },
  },
});
