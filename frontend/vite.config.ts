import { defineConfig } from "vitest/config";
import preact from "@preact/preset-vite";

// The dev server proxies the API (queries and the subscriptions' WebSocket) to `make up`.
const api = process.env.STONKS_API ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [preact()],
  server: {
    proxy: {
      // The API accepts WebSockets from its own origin only: present the proxy as that origin.
      "/graphql": { target: api, ws: true, changeOrigin: true, headers: { origin: api } },
      "/healthz": { target: api },
    },
  },
  build: { chunkSizeWarningLimit: 600 },
  test: { environment: "node", include: ["src/**/*.test.ts"] },
});
