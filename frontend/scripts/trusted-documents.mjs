// Writes trusted-documents.json: every operation this frontend sends, keyed by the
// SHA-256 of its exact text, for the server's trusted-documents mode
// (TRUSTED_DOCUMENTS_ONLY, see the README "Limits and security").
// Reads the typed operations codegen wrote to src/gql/graphql.ts (documentMode "string":
// each one a template literal, fragments appended), so it runs after `npm run codegen`.
// `--check` fails when the committed manifest is stale instead of writing it.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";

const source = readFileSync(new URL("../src/gql/graphql.ts", import.meta.url), "utf8");
const target = new URL("../trusted-documents.json", import.meta.url);
const literal = /new TypedDocumentString\(`([^`]*)`(, \{"fragmentName")?/g;

const manifest = {};
for (const [, text, fragmentOnly] of source.matchAll(literal)) {
  // Fragments are sent only inside the operations that spread them.
  if (fragmentOnly) continue;
  manifest[createHash("sha256").update(text, "utf8").digest("hex")] = text;
}
const sorted = Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => a.localeCompare(b)));
const written = JSON.stringify(sorted, null, 2) + "\n";

if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {
    // Missing: stale by definition.
  }
  if (current !== written) {
    console.error("trusted-documents.json is stale: run `npm run trusted-documents`");
    process.exit(1);
  }
} else {
  writeFileSync(target, written);
  console.log(`trusted-documents.json: ${Object.keys(sorted).length} operations`);
}
