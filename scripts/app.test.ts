// `npm run app`'s command line: --help, and bad options refused with a sentence before anything starts. The app
// itself (node, demo, server, Ctrl-C) is tested in a browser by app/test/wallet.test.ts.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import path from "node:path";

function runApp(...args: string[]) {
  return spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join("scripts", "app.ts"), ...args], {
    cwd: path.join(__dirname, ".."),
    encoding: "utf8",
    timeout: 120_000,
  });
}

describe("npm run app (command line)", function () {
  this.timeout(240_000);

  it("--help says what it starts and which options it takes, and exits 0", () => {
    const run = runApp("--help");
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.contain("Usage: npm run app").and.contain("--port").and.contain("--chain-port").and.contain("Ctrl-C");
  });

  it("a bad port is refused with a sentence naming it, and nothing starts", () => {
    const run = runApp("--port", "abc");
    expect(run.status).to.equal(1);
    expect(run.stderr).to.contain('--port must be a port number (0-65535); got "abc".');
    expect(run.stdout).to.not.contain("Hardhat node on");
  });

  it("an unknown option is refused", () => {
    const run = runApp("--colour");
    expect(run.status).to.equal(1);
    expect(run.stderr).to.contain("--colour");
  });
});
