// `npm run app` with member accounts: program.json names the demo's factory, paymaster and bundler (what the wallet's
// passkey pages read), each live on the app's node; Ctrl-C stops the bundler with the rest (no child left).
import { expect } from "chai";
import { spawn } from "node:child_process";
import path from "node:path";
import { createPublicClient, http, isAddress, type Address } from "viem";

/** Whether a process with this id is alive (signal 0 only checks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("npm run app: member accounts and the bundler", function () {
  this.timeout(600_000);

  it("program.json names the factory, the paymaster and the bundler; Ctrl-C leaves no bundler running", async () => {
    const app = spawn(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", path.join("scripts", "app.ts"), "--port", "0", "--chain-port", "0"],
      { cwd: path.join(__dirname, ".."), stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    app.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    app.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    const exited = new Promise<number | null>((resolve) => app.once("exit", (code) => resolve(code)));
    let bundlerPid = 0;
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const match = /The member wallet: (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
          if (match?.[1]) {
            clearInterval(timer);
            resolve(match[1]);
          } else if (app.exitCode !== null) {
            clearInterval(timer);
            reject(new Error(`npm run app exited:\n${output}`));
          }
        }, 200);
      });
      bundlerPid = Number(/Bundler \(Alto, pid (\d+)\)/.exec(output)?.[1]);
      expect(alive(bundlerPid), output).to.equal(true);

      const programJson = (await (await fetch(`${url}/program.json`)).json()) as {
        rpcUrl: string;
        record: { contracts: Record<string, string> };
        accounts: { factory: Address; paymaster: Address; bundlerUrl: string };
      };
      const { accounts } = programJson;
      expect(Object.keys(accounts).sort()).to.deep.equal(["bundlerUrl", "factory", "paymaster"]);
      expect(isAddress(accounts.factory) && isAddress(accounts.paymaster)).to.equal(true);
      expect(programJson.record.contracts).to.deep.include({
        memberAccountFactory: accounts.factory,
        brandPaymaster: accounts.paymaster,
      });
      const chain = createPublicClient({ transport: http(programJson.rpcUrl) });
      for (const address of [accounts.factory, accounts.paymaster, "0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108" as Address]) {
        expect(await chain.getCode({ address }), address).to.match(/^0x[0-9a-f]{2,}/);
      }
      const supported = (await (
        await fetch(accounts.bundlerUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_supportedEntryPoints", params: [] }),
        })
      ).json()) as { result: string[] };
      expect(supported.result).to.deep.equal(["0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108"]);

      app.kill("SIGINT");
      expect(await exited).to.equal(0);
      expect(output).to.contain("Stopped.");
      expect(alive(bundlerPid)).to.equal(false);
    } finally {
      if (app.exitCode === null) app.kill("SIGKILL");
      if (bundlerPid > 0 && alive(bundlerPid)) process.kill(bundlerPid, "SIGKILL");
    }
  });
});
