import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { fmt } from "./server/targets";
import type { AppLoads } from "./sizeApp";

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
        files.push({ file: path.relative(dist, full), bytes: data.length, gzipBytes: zlib.gzipSync(data, { level: 9 }).length });
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
