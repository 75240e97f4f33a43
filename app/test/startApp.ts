// `npm run app` (scripts/app.ts, run without npm in between so a signal reaches it) on free ports, for the browser
// tests: one start-up for the walk, the wallet, the Buy points and the passkey tests.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import path from "node:path";
import { expect } from "chai";

export const ROOT = path.join(__dirname, "..", "..");

export interface StartedApp {
  child: ChildProcess;
  /** The member wallet's URL (ends with a slash). */
  appUrl: string;
  /** The Hardhat node's JSON-RPC URL. */
  rpcUrl: string;
  /** The brand's link store the demo wrote and the program server serves (SQLite), when it printed one. */
  linkStoreFile: string | undefined;
  /** Everything the app printed so far. */
  output: () => string;
}

/** How long the app may take to deploy its demo and print its URLs. */
const START_TIMEOUT_MS = 180_000;

/** Builds the wallet (vite), as the app serves what is built. */
export function buildApp(): void {
  const built = spawnSync("npm", ["run", "build", "-w", "app"], { cwd: ROOT, encoding: "utf8" });
  expect(built.status, built.stdout + built.stderr).to.equal(0);
}

/**
 * Starts `npm run app -- --port 0 --chain-port 0 <args>` and waits until it printed the wallet's and the node's URLs
 * (and the link store, when `needLinkStore`).
 */
export async function startApp({
  args = [],
  needLinkStore = false,
}: { args?: string[]; needLinkStore?: boolean } = {}): Promise<StartedApp> {
  const child = spawn(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", path.join("scripts", "app.ts"), "--port", "0", "--chain-port", "0", ...args],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" } },
  );
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const app = /The member wallet: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
    const rpc = /Hardhat node on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
    const store = /The brand's link store: (\S+) \(/.exec(output);
    if (app && rpc && (store || !needLinkStore))
      return { child, appUrl: app[1]!, rpcUrl: rpc[1]!, linkStoreFile: store?.[1], output: () => output };
    if (child.exitCode !== null) throw new Error(`npm run app exited with ${child.exitCode}:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill("SIGKILL");
  throw new Error(`npm run app printed no URL in ${START_TIMEOUT_MS / 1000} s:\n${output}`);
}

/** Stops the app as Ctrl-C does (SIGINT) and waits until it exited. */
export async function stopApp(app: StartedApp | undefined): Promise<void> {
  if (!app || app.child.exitCode !== null) return;
  const exited = new Promise((resolve) => app.child.once("exit", resolve));
  app.child.kill("SIGINT");
  await exited;
}
