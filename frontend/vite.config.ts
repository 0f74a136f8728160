import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import { defineConfig, type Plugin } from "vitest/config";
import preact from "@preact/preset-vite";

// The dev server proxies the API (queries and the subscriptions' WebSocket) to `make up`.
const api = process.env.STONKS_API ?? "http://127.0.0.1:8000";

/** Files worth compressing, and the size under which the headers would outweigh the gain. */
const COMPRESSIBLE = /\.(js|css|html|svg|json|txt)$/;
const MIN_BYTES = 1024;

/**
 * Writes a .br and a .gz beside every compressible file of the build, at the highest
 * levels (done once here, not per request); the server picks one by Accept-Encoding.
 */
function precompress(): Plugin {
  const brotli = promisify(brotliCompress);
  const gzipped = promisify(gzip);
  let outDir = "dist";
  return {
    name: "stonks-precompress",
    apply: "build",
    configResolved(config) {
      outDir = config.build.outDir;
    },
    async closeBundle() {
      const files = (await readdir(outDir, { recursive: true })).filter((name) => COMPRESSIBLE.test(name));
      await Promise.all(
        files.map(async (name) => {
          const path = join(outDir, name);
          const content = await readFile(path);
          if (content.length < MIN_BYTES) return;
          await writeFile(`${path}.br`, await brotli(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
          await writeFile(`${path}.gz`, await gzipped(content, { level: 9 }));
        }),
      );
    },
  };
}

export default defineConfig({
  plugins: [preact(), precompress()],
  server: {
    proxy: {
      // The API accepts WebSockets from its own origin only: present the proxy as that origin.
      "/graphql": { target: api, ws: true, changeOrigin: true, headers: { origin: api } },
      "/healthz": { target: api },
    },
  },
  test: { environment: "node", include: ["src/**/*.test.ts"] },
});
