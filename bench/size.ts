/**
 * SDK size benchmark: bundles a member's typical browser session (connect, read the collection, sign a
 * listing, fill one) with our SDK (bench/size/ours.ts) and with plain viem (bench/size/viem.ts), with esbuild
 * (bundle, minify, browser, ESM, tree shaking), gzips both with node:zlib and reports bytes and the ratio.
 * Writes bench/results/size-<date>.md and .json.
 *
 *   npm run bench:size
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { build, type Metafile } from "esbuild";

/** Target: our session may be at most 1.1x plain viem's. */
export const SIZE_TARGET = 1.1;

export interface SizeEntry {
  name: string;
  entry: string;
  minifiedBytes: number;
  gzipBytes: number;
  /** Largest inputs of the bundle, by bytes they contribute (before gzip). */
  largest: Array<{ input: string; bytes: number }>;
}

async function bundle(name: string, entry: string): Promise<SizeEntry> {
  const result = await build({
    entryPoints: [path.join(__dirname, "size", entry)],
    bundle: true,
    minify: true,
    treeShaking: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "warning",
  });
  const code = result.outputFiles[0]!.contents;
  const output = Object.values((result.metafile as Metafile).outputs)[0]!;
  const largest = Object.entries(output.inputs)
    .map(([input, { bytesInOutput }]) => ({ input, bytes: bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 8);
  return {
    name,
    entry: `bench/size/${entry}`,
    minifiedBytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    largest,
  };
}

export function sizeMarkdown(result: {
  date: string;
  machine: string;
  versions: Record<string, string>;
  entries: SizeEntry[];
  ratio: number;
}): string {
  const fmt = (n: number) => n.toLocaleString("en-US");
  const [ours, viem] = result.entries as [SizeEntry, SizeEntry];
  return [
    `# SDK size benchmark, ${result.date}`,
    "",
    `Machine: ${result.machine}. ${Object.entries(result.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}.`,
    "A member's browser session (connect an EIP-1193 wallet, read the collection, approve the Market, sign a listing,",
    "fill a listing in the native coin) bundled by esbuild (`bundle`, `minify`, `treeShaking`, `platform: browser`,",
    "`format: esm`), gzip level 9. Both entries import the same generated ABIs (`sdk/src/generated/abis.ts`), so the difference is",
    "SDK logic (checks, typed errors, revert decoding, simulation before sending), not ABI size.",
    "",
    'The root package.json declares our modules free of side effects (`"sideEffects": ["*.css"]`), so a bundler drops',
    "whatever the SDK index re-exports but the page does not use. Before that (2026-11-23) esbuild kept every module the",
    "index reaches, zod and the program-config schemas included: 758,074 bytes minified, 173,098 gzip, 2.37x plain viem.",
    "",
    "| bundle | minified bytes | gzip bytes |",
    "|---|---:|---:|",
    ...result.entries.map((e) => `| ${e.name} (\`${e.entry}\`) | ${fmt(e.minifiedBytes)} | ${fmt(e.gzipBytes)} |`),
    `| **ratio ours / plain viem** | ${(ours.minifiedBytes / viem.minifiedBytes).toFixed(2)}x | **${result.ratio.toFixed(2)}x** (target ≤ ${SIZE_TARGET}x) |`,
    "",
    "Largest inputs of our bundle (bytes before gzip):",
    "",
    ...ours.largest.map((l) => `- \`${l.input}\`: ${fmt(l.bytes)}`),
    "",
  ].join("\n");
}

async function main() {
  const started = Date.now();
  console.log("[size] bundling our SDK session and the plain viem session");
  const entries = [await bundle("Punchcard SDK", "ours.ts"), await bundle("plain viem", "viem.ts")];
  const ratio = entries[0]!.gzipBytes / entries[1]!.gzipBytes;
  const date = new Date().toISOString().slice(0, 10);
  const root = path.join(__dirname, "..");
  const version = (name: string) =>
    (JSON.parse(fs.readFileSync(path.join(root, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  const versions = { viem: version("viem"), esbuild: version("esbuild") };
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}`;
  const seconds = (Date.now() - started) / 1000;
  const result = { date, machine, versions, entries, ratio, seconds };
  const md = sizeMarkdown(result);
  const resultsDir = path.join(__dirname, "results");
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, `size-${date}.md`), md);
  fs.writeFileSync(path.join(resultsDir, `size-${date}.json`), `${JSON.stringify(result, null, 2)}\n`);
  console.log(md);
  console.log(`[size] wrote bench/results/size-${date}.md and .json in ${seconds.toFixed(1)} s`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
