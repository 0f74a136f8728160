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

/**
 * Which path prefix opens which page module (as src/app.tsx routes them). The chart's
 * library is left out on purpose: it would share the phone's bandwidth with the entry script
 * and so delay the page's query; pages start it once their query is on its way.
 */
const PAGE_ROUTES: Record<string, string> = {
  "/pages/Home.tsx": "/",
  "/pages/Browse.tsx": "/browse",
  "/pages/Detail.tsx": "/m/",
  "/pages/Compare.tsx": "/compare",
  "/pages/Sync.tsx": "/sync",
};

/**
 * Pages load on demand, which would fetch a page's code only after the entry script ran.
 * A few lines in index.html, before the entry script, ask for the current page's chunks
 * (modulepreload) while the entry script downloads, saving a round trip before the first
 * data request. They come before the stylesheet too: an inline script after a stylesheet
 * waits for it to arrive.
 */
function preloadCurrentPage(): Plugin {
  return {
    name: "stonks-preload-current-page",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(html, context) {
        const chunks = Object.values(context.bundle ?? {}).flatMap((c) => (c.type === "chunk" ? [c] : []));
        const byFile = new Map(chunks.map((c) => [c.fileName, c]));
        /** A chunk and every chunk it imports statically, the entry script left out. */
        const closure = (file: string, found: Set<string>): Set<string> => {
          const chunk = byFile.get(file);
          if (!chunk || chunk.isEntry || found.has(file)) return found;
          found.add(file);
          for (const imported of chunk.imports) closure(imported, found);
          return found;
        };
        const routes: [string, string[]][] = [];
        for (const [suffix, route] of Object.entries(PAGE_ROUTES)) {
          const page = chunks.find((c) => c.facadeModuleId?.endsWith(suffix));
          if (page) routes.push([route, [...closure(page.fileName, new Set())]]);
        }
        // The longest prefix first, so "/" matches only what nothing else does.
        routes.sort((a, b) => b[0].length - a[0].length);
        const code = `(function(){var p=location.pathname,r=${JSON.stringify(routes)};for(var i=0;i<r.length;i++){var k=r[i][0];if(k==="/"?p==="/":p.indexOf(k)===0){r[i][1].forEach(function(f){var l=document.createElement("link");l.rel="modulepreload";l.href="/"+f;document.head.appendChild(l)});return}}})()`;
        const entry = html.indexOf('<script type="module"');
        if (entry < 0) throw new Error("index.html has no entry script to preload beside");
        return `${html.slice(0, entry)}<script>${code}</script>\n    ${html.slice(entry)}`;
      },
    },
  };
}

export default defineConfig({
  plugins: [preact(), preloadCurrentPage(), precompress()],
  server: {
    proxy: {
      // The API accepts WebSockets from its own origin only: present the proxy as that origin.
      "/graphql": { target: api, ws: true, changeOrigin: true, headers: { origin: api } },
      "/healthz": { target: api },
    },
  },
  test: { environment: "node", include: ["src/**/*.test.ts"] },
});
