import type { CodegenConfig } from "@graphql-codegen/cli";

// Typed operations from the committed server schema; the output is committed too,
// and `npm run codegen:check` fails when it is stale.
const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["src/**/*.ts", "src/**/*.tsx", "!src/gql/**"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        documentMode: "string",
        enumsAsTypes: true,
        scalars: { DateTime: "string", Date: "string", Decimal: "string" },
      },
    },
  },
};

export default config;
