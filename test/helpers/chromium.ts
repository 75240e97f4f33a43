import fs from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Where a system Chromium or Chrome usually lives (Debian, Ubuntu, Fedora, macOS). */
const SYSTEM_BROWSERS = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
];

/** Flags for a headless browser on a machine with no network beyond loopback. */
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface FoundBrowser {
  executablePath: string;
  source: "CHROMIUM_PATH" | "system" | "@sparticuz/chromium";
  args: string[];
}

// A real dynamic import: the CommonJS that tests compile to would turn `import()` into `require()`,
// which cannot load @sparticuz/chromium (an ES module).
const importEsm = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<unknown>;

let found: Promise<FoundBrowser> | undefined;

/**
 * The browser the tests drive, found in this order: `CHROMIUM_PATH`, a system Chromium or Chrome, then
 * the Chromium shipped inside the npm package @sparticuz/chromium (a devDependency: Linux x64 only,
 * unpacked to a temporary folder on first use), so `npm ci && npm test` needs no browser installed.
 */
export function findChromium(): Promise<FoundBrowser> {
  found ??= (async (): Promise<FoundBrowser> => {
    const fromEnv = process.env.CHROMIUM_PATH;
    if (fromEnv) {
      if (!fs.existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH is ${fromEnv}, which does not exist.`);
      return { executablePath: fromEnv, source: "CHROMIUM_PATH", args: FLAGS };
    }
    const system = SYSTEM_BROWSERS.find((file) => fs.existsSync(file));
    if (system) return { executablePath: system, source: "system", args: FLAGS };
    if (process.platform !== "linux" || process.arch !== "x64") {
      throw new Error(
        "No Chromium found: set CHROMIUM_PATH or install Chromium or Chrome (the npm-shipped one is Linux x64 only).",
      );
    }
    const { default: packaged } = (await importEsm("@sparticuz/chromium")) as {
      default: { executablePath(): Promise<string>; args: string[] };
    };
    const executablePath = await packaged.executablePath();
    // Its own flags are tuned for serverless; keep those that matter headless, plus ours.
    const args = [...new Set([...packaged.args.filter((a) => !a.startsWith("--single-process")), ...FLAGS])];
    return { executablePath, source: "@sparticuz/chromium", args };
  })();
  return found;
}

/** A headless Chromium for a test (see {@link findChromium} for which one). */
export async function launchChromium(): Promise<Browser> {
  const browser = await findChromium();
  return chromium.launch({ executablePath: browser.executablePath, args: browser.args });
}
