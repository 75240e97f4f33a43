/**
 * The member web wallet's first load, measured in Chromium on the built app: each view is opened in a fresh browser
 * context (an empty cache), and every script the page fetched until the view is on screen and the network is quiet is
 * summed, each file gzipped at level 9 (Node's zlib, as bench/size.ts does). The views: the Connect view a new visitor
 * sees at `/`, the Collection a member sees once connected (a returning member's first page), and the Market opened
 * from there (what opening it adds). app/test/firstLoad.test.ts holds the limits; `npm run bench` reports the figures.
 * Also the size of the whole build (`appSize`, the report's app part), which writes both into app-size-<date>.json.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Browser, Page } from "playwright-core";
import { serveApp } from "../scripts/appServer";
import { launchChromium } from "../test/helpers/chromium";
import { fmt } from "./server/targets";

/** Target of issue #28: the scripts of the first load, gzip. */
export const FIRST_LOAD_LIMIT = 150_000;

export interface LoadedScript {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface ViewLoad {
  view: string;
  scripts: LoadedScript[];
  bytes: number;
  gzipBytes: number;
}

const ROOT = path.join(__dirname, "..");

/** Builds the wallet (`vite build`) into `outDir`, leaving app/dist as it is. */
export function buildApp(outDir: string): void {
  const vite = path.join(ROOT, "node_modules", "vite", "bin", "vite.js");
  const appVite = path.join(ROOT, "app", "node_modules", "vite", "bin", "vite.js");
  const bin = fs.existsSync(appVite) ? appVite : vite;
  const built = spawnSync(process.execPath, [bin, "build", "--outDir", outDir, "--emptyOutDir", "--logLevel", "warn"], {
    cwd: path.join(ROOT, "app"),
    encoding: "utf8",
  });
  if (built.status !== 0) throw new Error(`vite build failed:\n${built.stdout}\n${built.stderr}`);
}

/** A program.json for a chain nobody answers: the views render (the reads fail), which is all the scripts need. */
function programJson(): string {
  const address = (n: number) => `0x${n.toString(16).padStart(40, "0")}`;
  return JSON.stringify({
    brand: "Size check",
    rpcUrl: "http://127.0.0.1:9/",
    record: {
      chainId: 31337,
      network: "localhost",
      deployBlock: "0",
      contracts: { stamps: address(1), points: address(2), market: address(3), consentRegistry: address(4), rewards: address(5) },
    },
    tiers: [],
    perks: [],
    testAccounts: [{ name: "Ann", address: address(0xa11ce) }],
  });
}

/** Serves the built app at a loopback port. */
export async function serveBuiltApp(dist: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: http.Server = serveApp({ dist, programJson });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Records every script the page fetches from now on. */
function recordScripts(page: Page): () => Promise<LoadedScript[]> {
  const pending: Array<Promise<LoadedScript | undefined>> = [];
  page.on("response", (response) => {
    const url = new URL(response.url());
    if (!url.pathname.endsWith(".js")) return;
    pending.push(
      response.body().then(
        (body) => ({ file: url.pathname.replace(/^\//, ""), bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length }),
        () => undefined,
      ),
    );
  });
  return async () => (await Promise.all(pending)).filter((s): s is LoadedScript => s !== undefined);
}

function total(view: string, scripts: LoadedScript[]): ViewLoad {
  return {
    view,
    scripts,
    bytes: scripts.reduce((sum, s) => sum + s.bytes, 0),
    gzipBytes: scripts.reduce((sum, s) => sum + s.gzipBytes, 0),
  };
}

export interface AppLoads {
  /** `/` for a new visitor: the frame and the Connect view. */
  connect: ViewLoad;
  /** `/` for a member who connects: the Connect view, then the Collection. */
  collection: ViewLoad;
  /** What opening the Market from the Collection adds. */
  market: ViewLoad;
  /** `/` for a visitor whose browser reads Turkish: the Connect view. */
  connectTurkish: ViewLoad;
}

/** Opens the views in fresh contexts of `browser` and sums the scripts each fetched. */
export async function measureAppLoads(browser: Browser, url: string): Promise<AppLoads> {
  const open = async (language: string) => {
    const context = await browser.newContext({ locale: language });
    const page = await context.newPage();
    const scripts = recordScripts(page);
    await page.goto(url, { waitUntil: "networkidle" });
    await page.getByRole("heading", { level: 1 }).first().waitFor();
    return { context, page, scripts };
  };

  const visitor = await open("en-US");
  const connect = total("connect", await visitor.scripts());
  await visitor.context.close();

  const turkish = await open("tr-TR");
  const connectTurkish = total("connect, Turkish", await turkish.scripts());
  await turkish.context.close();

  const member = await open("en-US");
  await member.page.getByRole("button", { name: /Ann/ }).click();
  await member.page.getByRole("heading", { name: "Your collection" }).or(member.page.getByRole("alert")).first().waitFor();
  await member.page.waitForLoadState("networkidle");
  const collection = total("collection", await member.scripts());
  const before = new Set(collection.scripts.map((s) => s.file));
  await member.page.goto(`${url}#/market`);
  await member.page.getByRole("heading", { level: 1 }).or(member.page.getByRole("alert")).first().waitFor();
  await member.page.waitForLoadState("networkidle");
  const market = total(
    "market, added",
    (await member.scripts()).filter((s) => !before.has(s.file)),
  );
  await member.context.close();
  return { connect, collection, market, connectTurkish };
}

/** Builds the app into a temporary folder, serves it and measures its views in Chromium. */
export async function measureBuiltApp(outDir: string): Promise<AppLoads> {
  buildApp(outDir);
  const served = await serveBuiltApp(outDir);
  const browser = await launchChromium();
  try {
    return await measureAppLoads(browser, served.url);
  } finally {
    await browser.close();
    await served.close();
  }
}

/** The member web wallet's size (#12): `npm run build -w app`, every file of app/dist gzipped at level 9. */
export function appSize({
  root,
  resultsDir,
  date,
  sh,
}: {
  root: string;
  resultsDir: string;
  date: string;
  sh: (command: string, args: string[]) => unknown;
}): void {
  sh("npm", ["run", "--silent", "build", "-w", "app"]);
  const dist = path.join(root, "app", "dist");
  const files: Array<{ file: string; bytes: number; gzipBytes: number }> = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(js|css|html)$/.test(entry.name)) {
        const data = fs.readFileSync(full);
        files.push({ file: path.relative(dist, full), bytes: data.length, gzipBytes: gzipSync(data, { level: 9 }).length });
      }
    }
  };
  walk(dist);
  files.sort((a, b) => b.gzipBytes - a.gzipBytes);
  const total = { bytes: files.reduce((t, f) => t + f.bytes, 0), gzipBytes: files.reduce((t, f) => t + f.gzipBytes, 0) };
  const md = [
    `# Member web wallet size, ${date}`,
    "",
    "`npm run build -w app`; every .js, .css and .html file of app/dist, gzip level 9 (Node's zlib).",
    "",
    "| file | bytes | gzip |",
    "|---|---:|---:|",
    ...files.map((f) => `| ${f.file} | ${fmt(f.bytes)} | ${fmt(f.gzipBytes)} |`),
    `| **total** | **${fmt(total.bytes)}** | **${fmt(total.gzipBytes)}** |`,
    "",
  ].join("\n");
  // The first load in Chromium (#28): what a view fetches, not the whole build (bench/sizeApp.ts).
  const loadsFile = path.join(os.tmpdir(), `punchcard-first-load-${process.pid}.json`);
  sh("npx", ["ts-node", "--transpile-only", "bench/sizeApp.ts", loadsFile]);
  const firstLoad = JSON.parse(fs.readFileSync(loadsFile, "utf8")) as AppLoads;
  fs.rmSync(loadsFile, { force: true });
  const loadsMd = [
    "## First load in Chromium",
    "",
    "Each view opened in a fresh browser context (an empty cache), every script fetched until the view is on screen",
    "and the network quiet, gzip level 9 (bench/sizeApp.ts; app/test/firstLoad.test.ts holds the limit).",
    "",
    "| view | scripts | bytes | gzip |",
    "|---|---:|---:|---:|",
    ...Object.values(firstLoad).map((v) => `| ${v.view} | ${v.scripts.length} | ${fmt(v.bytes)} | ${fmt(v.gzipBytes)} |`),
    "",
  ].join("\n");
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, `app-size-${date}.md`), `${md}\n${loadsMd}`);
  fs.writeFileSync(
    path.join(resultsDir, `app-size-${date}.json`),
    `${JSON.stringify({ date, files, total, firstLoad }, null, 2)}\n`,
  );
}

// `ts-node bench/sizeApp.ts <out.json>`: measures and writes the loads as JSON (`npm run bench`'s app part runs it).
if (require.main === module) {
  const out = process.argv[2];
  if (!out) {
    console.error("usage: ts-node --transpile-only bench/sizeApp.ts <out.json>");
    process.exit(2);
  }
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-first-load-"));
  measureBuiltApp(outDir)
    .then((loads) => fs.writeFileSync(out, `${JSON.stringify(loads, null, 2)}\n`))
    .finally(() => fs.rmSync(outDir, { recursive: true, force: true }))
    .then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
}
