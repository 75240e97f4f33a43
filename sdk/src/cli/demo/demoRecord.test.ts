import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { serveInProcessChain } from "../../../../test/helpers/rpcServer";
import { accountsOf } from "../clients.js";
import { runCommand, type Command } from "../command.js";
import { readRecordFile } from "../deploy.js";
import { ledgerCommand } from "../ledger.js";
import { castOf } from "./context.js";
import { demoCommand } from "./index.js";

async function cli(command: Command, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCommand(command, args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe("cli: punchcard demo --rpc writes its deployment record", () => {
  it("writes deployments/<network>/demo.json as deploy does, and ledger sync, sql and kpis read the demo's year at once", async function () {
    this.timeout(180_000);
    const rpc = await serveInProcessChain();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-demo-record-"));
    const out = path.join(dir, "deployments");
    const db = path.join(dir, "ledger.sqlite");
    try {
      // The suite's chain has history: the demo moves its clock only when told to.
      const demo = await cli(demoCommand as unknown as Command, ["--rpc", rpc.url, "--move-clock", "--out", out]);
      expect(demo.code, demo.stderr).to.equal(0);
      const file = path.join(out, "localhost", "demo.json");
      expect(demo.stdout).to.contain(`deployment record written to ${file}`);
      expect(demo.stdout).to.contain(`npx punchcard ledger sync --program ${file} --rpc ${rpc.url}`);

      // The record is a deployment record like deploy's: validated when read back, with the program's units.
      const record = readRecordFile(file);
      const cast = castOf(await accountsOf(rpc.url));
      expect(record.network).to.equal("localhost");
      expect(record.brand).to.equal("Northwind Coffee");
      expect(record.deployer).to.equal(cast.brand.account.address);
      expect(record.units).to.deep.equal({ pointsSymbol: "BEANS", pointsDecimals: 0, nativeSymbol: "ETH", nativeDecimals: 18 });
      expect(record.configHash).to.match(/^0x[0-9a-f]{64}$/);

      // The sequence docs/analytics.md starts with.
      const sync = await cli(ledgerCommand as unknown as Command, ["sync", "--program", file, "--rpc", rpc.url, "--db", db]);
      expect(sync.code, sync.stderr).to.equal(0);
      expect(sync.stdout).to.match(/synced blocks \d+-\d+: \d+ entries read, \d+ new rows/);
      // Ben is the one member of the demo whose analytics consent stands at the end (Ada withdrew hers).
      const members = await cli(ledgerCommand as unknown as Command, [
        "sql",
        "--program",
        file,
        "--db",
        db,
        "--format",
        "json",
        "SELECT member FROM members ORDER BY member",
      ]);
      expect(members.code, members.stderr).to.equal(0);
      expect(JSON.parse(members.stdout)).to.deep.equal([{ member: cast.ben.account.address.toLowerCase() }]);
      // And the raw entries: the demo's year ends with Ben's points expired, once.
      const flows = await cli(ledgerCommand as unknown as Command, [
        "sql",
        "--program",
        file,
        "--db",
        db,
        "--format",
        "csv",
        "SELECT count(*) AS n FROM ledger_entries WHERE kind = 'points.expired'",
      ]);
      expect(flows.stdout).to.equal("n\n1\n");
      const kpis = await cli(ledgerCommand as unknown as Command, ["kpis", "--program", file, "--db", db, "--by", "month"]);
      expect(kpis.code, kpis.stderr).to.equal(0);
      expect(kpis.stdout).to.match(/^period +\| new_members/);
    } finally {
      await rpc.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("says in --help where the record goes (only with --rpc: the in-process chain ends with the demo)", async () => {
    const help = await cli(demoCommand as unknown as Command, ["--help"]);
    expect(help.stdout).to.contain("--out <dir>");
    expect(help.stdout).to.contain("<out>/<network>/demo.json");
  });
});
