import { expect } from "chai";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { launchChromium } from "../../test/helpers/chromium.js";
import { serveInProcessChain } from "../../test/helpers/rpcServer.js";
import { stampsBytecode } from "./generated/bytecode.js";

const run = promisify(execFile);
const sdk = path.resolve(__dirname, "..");
const repo = path.resolve(sdk, "..");
const consumers = path.join(sdk, "test", "consumers");
const tsc = path.join(repo, "node_modules", "typescript", "bin", "tsc");

/**
 * Packs @punchcard/sdk as npm would publish it, installs the tarball and viem into a throw-away folder,
 * and runs consumer projects against a chain on loopback: Node ESM, Node CommonJS, TypeScript (bundler
 * and node16 resolution) and a browser bundle in headless Chromium. The in-process chain serves them
 * over HTTP, so the child processes must be awaited, never run synchronously (that would block it).
 */
describe("sdk: the packed package in consumer projects", function () {
  this.timeout(15 * 60_000);
  let root: string;
  let rpc: Awaited<ReturnType<typeof serveInProcessChain>>;
  /** Output of the ESM consumer: a program the browser consumer then reads. */
  let esm: { program: Record<string, string>; member: string };

  // The child processes must not inherit the test's TS_NODE settings or ts-node hooks.
  const env = (extra: Record<string, string> = {}) => {
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith("TS_NODE") && k !== "NODE_OPTIONS"),
    );
    return { ...clean, RPC_URL: rpc?.url ?? "", ...extra } as NodeJS.ProcessEnv;
  };
  const node = async (file: string) => {
    const { stdout } = await run(process.execPath, [file], { cwd: path.dirname(file), env: env(), maxBuffer: 1 << 24 });
    return JSON.parse(stdout.trim().split("\n").at(-1)!);
  };

  before(async function () {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-consumers-"));
    await run("npm", ["run", "build"], { cwd: sdk, env: env() });
    const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", root], {
      cwd: sdk,
      env: env(),
    });
    const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    expect(packed!.files.map((f) => f.path).filter((p) => /\.test\.|__fixtures__|\/src\//.test(p))).to.deep.equal([]);
    const viemVersion = JSON.parse(fs.readFileSync(require.resolve("viem/package.json"), "utf8")).version as string;
    fs.writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "punchcard-consumers", private: true }));
    // Only the tarball and viem, as a brand would: `npm install @punchcard/sdk viem`.
    await run(
      "npm",
      ["install", "--prefer-offline", "--no-audit", "--no-fund", path.join(root, packed!.filename), `viem@${viemVersion}`],
      {
        cwd: root,
        env: env(),
        maxBuffer: 1 << 24,
      },
    );
    fs.cpSync(consumers, root, { recursive: true });
    rpc = await serveInProcessChain();
  });

  after(async () => {
    await rpc?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it("Node ESM: import deploys a program, rewards a member, reads and syncs the ledger", async () => {
    const out = await node(path.join(root, "esm", "main.mjs"));
    expect(out).to.deep.include({ module: "esm", balance: "42", rewarded: "42" });
    expect(out.server).to.deep.equal({ ok: true, chainId: 31337 });
    expect(out.kinds).to.include.members(["points.rewarded", "points.minted", "series.created", "role.changed"]);
    expect(out.synced).to.equal(out.entries).and.to.be.greaterThan(5);
    esm = out;
  });

  it("Node CommonJS: require does the same, and a revert arrives as the SDK's decoded error", async () => {
    const out = await node(path.join(root, "cjs", "main.cjs"));
    expect(out).to.deep.include({ module: "cjs", balance: "42", rewarded: "42", refused: "AccessControlUnauthorizedAccount" });
    expect(out.server).to.deep.equal({ ok: true, chainId: 31337 });
    expect(out.synced).to.equal(out.entries);
  });

  it("the installed punchcard command: --help, deploy to a dev node, ledger sync and stats, and a clear refusal without Hardhat", async () => {
    const bin = path.join(root, "node_modules", ".bin", "punchcard");
    const punchcard = (...args: string[]) => run(bin, args, { cwd: root, env: env(), maxBuffer: 1 << 24 });
    expect((await punchcard("--help")).stdout).to.contain("Usage: punchcard <command> [options]");
    expect((await punchcard("ledger", "--help")).stdout).to.contain(
      "Usage: punchcard ledger <sync|stats|export|report|sql|kpis|parquet|dashboard|money>",
    );

    fs.writeFileSync(path.join(root, "program.json"), fs.readFileSync(path.join(repo, "programs", "example.json")));
    const deployed = await punchcard("deploy", "--config", "program.json", "--network", "dev", "--rpc", rpc.url);
    expect(deployed.stdout).to.match(/Deployed in [\d.]+ s; record written to deployments\/dev\/program\.json/);
    const record = path.join(root, "deployments", "dev", "program.json");
    const synced = await punchcard("ledger", "sync", "--program", record, "--rpc", rpc.url, "--db", "ledger.sqlite");
    expect(synced.stdout).to.match(/synced blocks \d+-\d+: \d+ entries read, \d+ new rows/);
    const stats = await punchcard("ledger", "stats", "--program", record, "--rpc", rpc.url, "--db", "ledger.sqlite");
    expect(stats.stdout)
      .to.match(/points_outstanding\s+0 BEANS\n/)
      .and.to.match(/series_1_minted_of_max\s+0\/500/);

    // Outside a Hardhat project the in-process chain is not there: the command says what to do instead.
    const refused = await punchcard("demo").then(
      () => expect.fail("demo without --rpc should fail here"),
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.contain("Hardhat's in-process chain is not available here").and.to.contain("--rpc <url>");
  });

  it("the README's first SDK example runs as written from the installed tarball, whose name the READMEs give", async () => {
    const readme = fs.readFileSync(path.join(repo, "README.md"), "utf8");
    const tarball = fs.readdirSync(root).find((file) => file.endsWith(".tgz"))!;
    for (const text of [readme, fs.readFileSync(path.join(sdk, "README.md"), "utf8")]) {
      expect(text).to.contain("npm pack -w @punchcard/sdk").and.contain(`npm install ../punchcard/${tarball} viem`);
    }
    const example = /```js\n(\/\/ first\.mjs[\s\S]*?)```/.exec(readme)?.[1];
    expect(example, "README.md has the first.mjs example").to.be.a("string");
    expect(example).to.contain("programFromRecord");
    // As the README says: the example program deployed with the installed command to the node, then `node first.mjs`.
    const dir = path.join(root, "first");
    fs.mkdirSync(dir);
    fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
    fs.copyFileSync(path.join(repo, "programs", "example.json"), path.join(dir, "example.json"));
    const bin = path.join(root, "node_modules", ".bin", "punchcard");
    await run(bin, ["deploy", "--config", "example.json", "--network", "localhost", "--rpc", rpc.url], { cwd: dir, env: env() });
    fs.writeFileSync(path.join(dir, "first.mjs"), example!.replace("http://127.0.0.1:8545", rpc.url));
    const { stdout } = await run(process.execPath, ["first.mjs"], { cwd: dir, env: env() });
    expect(stdout).to.equal("Northwind Beans: Autumn Cup, Five Visits Journey\n");
  });

  for (const resolution of ["bundler", "node16"] as const) {
    it(`TypeScript with moduleResolution ${resolution}: types resolve for every entry point, a wrong type fails, and it runs`, async () => {
      const dir = path.join(root, `ts-${resolution}`);
      fs.mkdirSync(dir);
      fs.copyFileSync(path.join(root, "ts", "main.ts"), path.join(dir, "main.ts"));
      // Both as ES module packages: viem's own declarations are ES modules only, so a CommonJS TypeScript
      // project under node16 cannot import viem at all (the CommonJS build is checked by cjs/ instead).
      fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module" }));
      const compilerOptions = {
        target: "es2022",
        module: resolution === "bundler" ? "esnext" : "node16",
        moduleResolution: resolution,
        strict: true,
        types: [],
        lib: ["es2022", "dom"],
        outDir: "out",
        skipLibCheck: false,
      };
      fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["main.ts"] }));
      await run(process.execPath, [tsc, "-p", dir], { cwd: dir, env: env() }).catch((error: { stdout: string }) => {
        throw new Error(`tsc (${resolution}) failed:\n${error.stdout}`);
      });
      fs.writeFileSync(path.join(dir, "out", "package.json"), fs.readFileSync(path.join(dir, "package.json")));
      const out = await node(path.join(dir, "out", "main.js"));
      expect(out).to.deep.equal({ balance: "42", entries: out.entries });
      expect(out.entries).to.be.greaterThan(5);
    });
  }

  it("a browser bundle holds no Node built-in, no bytecode, no database and no server, and runs in Chromium", async () => {
    const dir = path.join(root, "browser");
    const result = await build({
      entryPoints: [path.join(dir, "main.ts")],
      absWorkingDir: dir,
      bundle: true,
      platform: "browser",
      format: "iife",
      minify: true,
      metafile: true,
      outfile: path.join(dir, "bundle.js"),
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(
      inputs.some((file) => file.includes("@punchcard/sdk/dist/esm/index.js")),
      "bundled from the ESM build",
    ).to.equal(true);
    expect(
      inputs.filter((file) =>
        /^node:|better-sqlite3|\/pg\/|kysely|generated\/bytecode|\/node\/|hono|dist\/esm\/server(\.js|\/(app|start|orderBook|relay|evaluate))/.test(
          file,
        ),
      ),
    ).to.deep.equal([]);
    const bundle = fs.readFileSync(path.join(dir, "bundle.js"), "utf8");
    expect(bundle).not.to.contain(stampsBytecode.slice(2, 202));
    fs.writeFileSync(path.join(dir, "index.html"), '<!doctype html><title>member</title><script src="bundle.js"></script>');

    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const query = new URLSearchParams({ rpc: rpc.url, program: JSON.stringify(esm.program), member: esm.member });
      await page.goto(`file://${path.join(dir, "index.html")}?${query}`);
      await page.waitForFunction(() => document.body?.dataset.result !== undefined, undefined, { timeout: 30_000 });
      const answer = JSON.parse((await page.evaluate(() => document.body.dataset.result)) ?? "{}");
      expect(answer).to.deep.equal({ points: "ESM Beans", balance: "42", server: true });
    } finally {
      await browser.close();
    }
  });
});
