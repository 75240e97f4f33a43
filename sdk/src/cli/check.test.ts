import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { getAddress } from "viem";
import { execSafeTransaction, recordedSafeProgram } from "../../../test/helpers/safe.js";
import { serveInProcessChain } from "../../../test/helpers/rpcServer.js";
import { CHECK_RISK_EXIT_CODE, checkCommand } from "./check.js";
import { runCommand } from "./command.js";
import { rolesCommand } from "./roles.js";

describe("cli: punchcard check", () => {
  let rpc: { url: string; close: () => Promise<void> };
  before(async () => {
    rpc = await serveInProcessChain();
  });
  after(async () => {
    await rpc.close();
  });

  async function run(command: typeof checkCommand | typeof rolesCommand, args: string[]) {
    let stdout = "";
    let stderr = "";
    const code = await runCommand(command as typeof checkCommand, [...args, "--rpc", rpc.url], {
      out: (t) => (stdout += t),
      err: (t) => (stderr += t),
    });
    return { code, stdout, stderr };
  }

  it("exits 3 with the risks in plain words while a single key is admin; --json for monitoring", async () => {
    const { recordPath } = await loadFixture(recordedSafeProgram);
    const text = await run(checkCommand, ["--program", recordPath]);
    expect(text.code, text.stderr).to.equal(CHECK_RISK_EXIT_CODE);
    expect(text.stdout).to.contain("5 risk(s):");
    expect(text.stdout).to.contain("RISK admin-without-code: stamps: the admin 0x");
    expect(text.stdout).to.contain("punchcard roles handover --to <safe>");
    expect(text.stdout).to.contain("What members should know:");
    expect(text.stdout).to.contain("Royalty 5% of every resale");
    const json = await run(checkCommand, ["--program", recordPath, "--json"]);
    const parsed = JSON.parse(json.stdout) as { risks: number; findings: { code: string; level: string }[] };
    expect(parsed.risks).to.equal(5);
    expect(parsed.findings.filter((f) => f.level === "risk").map((f) => f.code)).to.deep.equal(
      Array(5).fill("admin-without-code"),
    );
  });

  it("after roles handover and the Safe's acceptance, reports no risk and exits 0; a low relayer exits 3", async () => {
    const { recordPath, safe, backend, owners, members } = await loadFixture(recordedSafeProgram);
    const handover = await run(rolesCommand, [
      "handover",
      "--program",
      recordPath,
      "--to",
      safe,
      "--backend",
      backend.account.address,
    ]);
    expect(handover.code, handover.stderr).to.equal(0);
    const pending = await run(checkCommand, ["--program", recordPath, "--json"]);
    expect(pending.code).to.equal(CHECK_RISK_EXIT_CODE);
    expect(JSON.parse(pending.stdout).findings.map((f: { code: string }) => f.code)).to.include("admin-handover-pending");
    await time.increase(24 * 60 * 60 + 1);
    const accept = JSON.parse((await run(rolesCommand, ["accept", "--program", recordPath, "--json"])).stdout) as {
      calls: { to: `0x${string}`; data: `0x${string}` }[];
    };
    for (const call of accept.calls) await execSafeTransaction(owners[1]!, [owners[1]!, owners[2]!], safe, call);
    const clean = await run(checkCommand, ["--program", recordPath]);
    expect(clean.code, clean.stdout).to.equal(0);
    expect(clean.stdout).to.contain("No risk found.");
    const relayer = members[4]!.account.address;
    const poor = await run(checkCommand, ["--program", recordPath, "--relayer", relayer, "--min-balance", "1000000"]);
    expect(poor.code, poor.stdout + poor.stderr).to.equal(CHECK_RISK_EXIT_CODE);
    expect(poor.stdout).to.contain(`RISK relayer-balance-low: The relayer ${getAddress(relayer)}`);
  });

  it("refuses bad flags (exit 2) and a record of another chain (exit 1)", async () => {
    const { recordPath } = await loadFixture(recordedSafeProgram);
    expect((await run(checkCommand, ["--program", recordPath, "--relayer", "0x12"])).code).to.equal(2);
    expect((await run(checkCommand, ["--program", recordPath, "--min-balance", "lots"])).code).to.equal(2);
    expect((await run(checkCommand, ["--program", recordPath, "--pause-days", "-1"])).code).to.equal(2);
    const fs = await import("node:fs");
    const record = JSON.parse(fs.readFileSync(recordPath, "utf8"));
    // A copy: the fixture's record is shared with the other tests.
    const elsewhere = recordPath.replace(/\.json$/, "-base.json");
    fs.writeFileSync(elsewhere, JSON.stringify({ ...record, chainId: 8453 }));
    const wrongChain = await run(checkCommand, ["--program", elsewhere]);
    expect(wrongChain.code).to.equal(1);
    expect(wrongChain.stderr).to.contain("serves chain 31337, but the program is on chain 8453");
  });
});
