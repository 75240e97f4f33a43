// Builds the package: ES modules to dist/esm and CommonJS to dist/cjs, each with declarations, from
// the same sources. Each folder gets a package.json saying which module system its .js files are,
// so Node loads dist/esm as ESM and dist/cjs as CommonJS whatever the consumer's own "type" is.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const tsc = path.join(path.dirname(fileURLToPath(import.meta.resolve("typescript/package.json"))), "bin", "tsc");
const dist = path.join(root, "dist");

fs.rmSync(dist, { recursive: true, force: true });
const started = Date.now();
const formats = [
  { format: "esm", type: "module", flags: [] },
  { format: "cjs", type: "commonjs", flags: ["--module", "commonjs", "--moduleResolution", "node10"] },
];
// The two compilations are independent: run them side by side.
await Promise.all(
  formats.map(
    ({ format, flags }) =>
      new Promise((resolve, reject) => {
        const args = [tsc, "-p", path.join(root, "tsconfig.build.json"), "--outDir", path.join(dist, format), ...flags];
        const child = spawn(process.execPath, args, { stdio: "inherit", cwd: root });
        child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`tsc (${format}) exited with ${code}`))));
      }),
  ),
);
for (const { format, type } of formats) {
  fs.writeFileSync(path.join(dist, format, "package.json"), `${JSON.stringify({ type, sideEffects: false }, null, 2)}\n`);
  console.log(`built dist/${format} (${type})`);
}
console.log(`@punchcard/sdk built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
