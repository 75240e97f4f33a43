import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { getProgramInfo, programFromRecord } from "@punchcard/sdk";
import { viemActors } from "../../../test/helpers/viem.js";
import { helpOf, runCommand } from "./command.js";
import { deployCommand, deployFromConfig } from "./deploy.js";

describe("cli: punchcard deploy", () => {
  let outDir: string;
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);

  beforeEach(() => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-deploy-"));
    lines.length = 0;
  });

  it("deploys the example config, writes a record, and refuses to deploy it twice unless forced", async () => {
    const first = await deployFromConfig({ configPath: "programs/example.json", network: "hardhat", outDir, log });
    if (first.status !== "deployed") expect.fail(`deployed, not ${first.status}`);
    expect(first.recordPath).to.equal(path.join(outDir, "hardhat", "example.json"));
    const record = JSON.parse(fs.readFileSync(first.recordPath, "utf8"));
    expect(record).to.deep.include({ brand: "Northwind Coffee", network: "hardhat", chainId: 31337 });
    expect(record.units).to.deep.equal({ pointsSymbol: "BEANS", pointsDecimals: 0, nativeSymbol: "ETH", nativeDecimals: 18 });
    expect(record.configHash).to.match(/^0x[0-9a-f]{64}$/);

    const { brand } = await viemActors();
    const info = await getProgramInfo(brand, { program: programFromRecord(record) });
    expect(info.series.map((s) => s.name)).to.deep.equal(["Autumn Cup", "Five Visits Journey"]);
    expect(info.points).to.deep.include({ pendingDays: 14, expiry: { model: "inactivity", days: 365 } });
    expect(lines).to.include("  - deploying Stamps");

    const again = await deployFromConfig({ configPath: "programs/example.json", network: "hardhat", outDir, log });
    if (again.status !== "already-deployed") expect.fail(`already deployed, not ${again.status}`);
    expect(again.record.contracts).to.deep.equal(record.contracts);
    expect(lines.at(-1)).to.match(/already deployed on hardhat/);

    const forced = await deployFromConfig({ configPath: "programs/example.json", network: "hardhat", outDir, log, force: true });
    if (forced.status !== "deployed") expect.fail(`deployed, not ${forced.status}`);
    expect(forced.record.contracts.stamps).not.to.equal(record.contracts.stamps);
  });

  it("names the bad field of an invalid config and writes nothing", async () => {
    const bad = path.join(outDir, "bad.json");
    const example = JSON.parse(fs.readFileSync("programs/example.json", "utf8"));
    fs.writeFileSync(bad, JSON.stringify({ ...example, series: [{ name: "X", maxSupply: 0 }] }));
    try {
      await deployFromConfig({ configPath: bad, network: "hardhat", outDir, log });
      expect.fail("should throw");
    } catch (error) {
      expect((error as Error).message)
        .to.contain(`Config file ${bad}`)
        .and.to.contain("series.0.maxSupply");
    }
    expect(fs.existsSync(path.join(outDir, "hardhat"))).to.equal(false);
  });

  it("explains a missing file, broken JSON, a missing RPC_URL and bad flags", async () => {
    const broken = path.join(outDir, "broken.json");
    fs.writeFileSync(broken, "{ nope");
    for (const [configPath, message] of [
      [path.join(outDir, "missing.json"), "does not exist"],
      [broken, "is not valid JSON"],
    ] as const) {
      try {
        await deployFromConfig({ configPath, network: "hardhat", outDir, log });
        expect.fail("should throw");
      } catch (error) {
        expect((error as Error).message).to.contain(message);
      }
    }
    const saved = process.env.RPC_URL;
    delete process.env.RPC_URL;
    try {
      await deployFromConfig({ configPath: "programs/example.json", network: "sepolia", outDir, log });
      expect.fail("should throw");
    } catch (error) {
      expect((error as Error).message).to.contain('Network "sepolia" needs an RPC endpoint: --rpc <url> or RPC_URL');
    } finally {
      if (saved !== undefined) process.env.RPC_URL = saved;
    }
    const errors: string[] = [];
    const io = { out: () => undefined, err: (text: string) => void errors.push(text) };
    expect(await runCommand(deployCommand, [], io)).to.equal(2);
    expect(await runCommand(deployCommand, ["--config", "x.json", "--colour"], io)).to.equal(2);
    expect(await runCommand(deployCommand, ["--config", path.join(outDir, "missing.json")], io)).to.equal(1);
    expect(errors[0]).to.contain("--config is required");
    expect(errors[1]).to.contain("--colour");
    expect(errors[2]).to.match(/^Error: Config file .*missing\.json does not exist\./);
    const help = helpOf(deployCommand);
    expect(help).to.contain("Usage: punchcard deploy --config <file>");
    // Every declared option is in the help, with its default.
    expect(help)
      .to.contain("--network <name>")
      .and.to.contain("(default: localhost)")
      .and.to.contain("--rpc <url>")
      .and.to.contain("--config <file>")
      .and.to.contain("(required)");
    expect(help).to.contain("DEPLOYER_KEY");
  });
});
