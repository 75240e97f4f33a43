// The TypeScript lint: ESLint's and typescript-eslint's recommended rules, with the few the codebase
// deliberately does otherwise turned off (each says why). Formatting is Prettier's (npm run format).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "artifacts/**",
      "cache/**",
      "typechain-types/**",
      "coverage/**",
      "sdk/dist/**",
      "app/dist/**",
      "sdk/src/generated/**",
      "bench/artifacts/**",
      "bench/cache/**",
      "bench/typechain-types/**",
      "deployments/**",
      // Written by Ponder on every start.
      "bench/ponder/ponder-env.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: "module" },
    rules: {
      // Unused names are errors, except those prefixed with "_" (a parameter a callback signature requires).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      // hardhat.config.ts loads the npm solc package with require() inside a Hardhat subtask, by design.
      "@typescript-eslint/no-require-imports": "off",
      // The config and metadata checks reject control characters on purpose.
      "no-control-regex": "off",
    },
  },
  {
    // The test consumers are plain Node scripts that a brand would write.
    files: ["sdk/test/consumers/**/*.{mjs,cjs}", "sdk/scripts/**/*.mjs", "sdk/bin/**/*.cjs"],
    languageOptions: { globals: { console: "readonly", process: "readonly", require: "readonly" } },
  },
  {
    // The browser consumer runs in a page.
    files: ["sdk/test/consumers/browser/**"],
    languageOptions: { globals: { document: "readonly", location: "readonly" } },
  },
);
