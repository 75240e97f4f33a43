import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createPublicClient, http, parseEther, parseGwei, type Hash } from "viem";
import { serveLiveChain } from "../../../test/helpers/liveChain.js";
import { PunchcardError } from "../errors.js";
import { runCommand } from "./command.js";
import { deployCommand, deployFromConfig, type DeployOptions } from "./deploy.js";

/**
 * `punchcard deploy` against a chain that is not a local development chain (a Hardhat chain served with Base
 * Sepolia's id): the plan, the price it names, the confirmation, and every refusal before the first transaction.
 */
describe("cli: punchcard deploy on a chain that is not a dev chain", () => {
  let chain: Awaited<ReturnType<typeof serveLiveChain>>;
  let outDir: string;
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const reader = () => createPublicClient({ transport: http(chain.url) });
  const deploy = (options: Partial<DeployOptions>) =>
    deployFromConfig({ configPath: "programs/example.json", network: "base-local", rpc: chain.url, outDir, log, ...options });
  const refusal = async (run: Promise<unknown>): Promise<Error> => {
    try {
      await run;
    } catch (error) {
      return error as Error;
    }
    return expect.fail("should have been refused");
  };

  before(async () => {
    chain = await serveLiveChain();
  });
  after(async () => chain.close());
  beforeEach(() => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-live-"));
    lines.length = 0;
  });

  it("plans every transaction without sending, then spends what it planned, after asking", async () => {
    const { key, address } = await chain.fundedKey(parseEther("100"));
    const planned = await deploy({ plan: true, deployerKey: key, gasPrice: parseGwei("3") });
    if (planned.status !== "planned") expect.fail(`planned, not ${planned.status}`);
    const { plan } = planned;
    expect(await reader().getTransactionCount({ address })).to.equal(0);
    expect(fs.existsSync(path.join(outDir, "base-local"))).to.equal(false);
    expect(lines[0]).to.equal(`Plan: ${plan.steps.length} transactions from ${address} on chain 84532`);
    expect(lines).to.include(`  cost at --gas-price 3 gwei: ${Number(plan.totalGas * 3n) / 1e9} ETH`);
    expect(plan.steps.map((step) => step.id).slice(0, 5)).to.deep.equal([
      "deploy Stamps",
      "deploy Points",
      "deploy Market",
      "deploy ConsentRegistry",
      "deploy Rewards",
    ]);

    const questions: string[] = [];
    const done = await deploy({ deployerKey: key, confirm: async (question) => (questions.push(question), true) });
    if (done.status !== "deployed") expect.fail(`deployed, not ${done.status}`);
    expect(questions).to.deep.equal([`Deploy Northwind Coffee to chain 84532 (base-local) from ${address}? [y/N] `]);
    expect(lines).to.include(`Deploying Northwind Coffee to base-local (chain 84532) from ${address}, 2 confirmation(s) a step`);
    // Step by step: a configuration call spends exactly its planned gas (it was measured by running the same
    // calldata from the same account and nonce); a contract creation spends at most its estimate and at least 99% of it.
    expect(done.steps.map(({ step }) => step.id)).to.deep.equal(plan.steps.map((step) => step.id));
    let paid = 0n;
    for (const [i, { step, landed }] of done.steps.entries()) {
      const gas = plan.steps[i]!.gas;
      const used = BigInt(landed.gasUsed);
      if (step.kind === "call") expect(used, step.id).to.equal(gas);
      else expect(used <= gas && used * 100n >= gas * 99n, `${step.id}: used ${used}, planned ${gas}`).to.equal(true);
      const receipt = await reader().getTransactionReceipt({ hash: landed.hash as Hash });
      paid += receipt.gasUsed * receipt.effectiveGasPrice;
    }
    const usedTotal = done.steps.reduce((sum, { landed }) => sum + BigInt(landed.gasUsed), 0n);
    expect(usedTotal <= plan.totalGas && usedTotal * 1000n >= plan.totalGas * 995n).to.equal(true);
    // The fee is the chain's at each block: here the base fee only falls (blocks below target), so the plan's price holds.
    expect(paid <= plan.currentCost, `paid ${paid}, planned ${plan.currentCost}`).to.equal(true);
    expect(paid).to.equal(parseEther("100") - (await reader().getBalance({ address })));
  });

  it("asks before deploying on a chain that is not a dev chain, and sends nothing on no", async () => {
    const { key, address } = await chain.fundedKey(parseEther("100"));
    const questions: string[] = [];
    const outcome = await deploy({ deployerKey: key, confirm: async (question) => (questions.push(question), false) });
    expect(outcome.status).to.equal("declined");
    expect(questions).to.have.length(1);
    expect(lines.at(-1)).to.equal("Nothing was sent.");
    expect(await reader().getTransactionCount({ address })).to.equal(0);
    expect(fs.existsSync(path.join(outDir, "base-local"))).to.equal(false);
    // A script without a terminal is told to pass --yes rather than left waiting.
    const errors: string[] = [];
    const io = { out: () => undefined, err: (text: string) => void errors.push(text) };
    const saved = process.env.PUNCHCARD_DEPLOYER_KEY;
    process.env.PUNCHCARD_DEPLOYER_KEY = key;
    try {
      const argv = ["--config", "programs/example.json", "--network", "base-local", "--rpc", chain.url, "--out", outDir];
      expect(await runCommand(deployCommand, argv, io)).to.equal(2);
    } finally {
      if (saved === undefined) delete process.env.PUNCHCARD_DEPLOYER_KEY;
      else process.env.PUNCHCARD_DEPLOYER_KEY = saved;
    }
    expect(errors[0]).to.contain("asks for confirmation").and.to.contain("pass --yes");
    expect(await reader().getTransactionCount({ address })).to.equal(0);
  });

  it("refuses a config for another chain than the RPC's, before any transaction", async () => {
    const { key, address } = await chain.fundedKey(parseEther("100"));
    const example = JSON.parse(fs.readFileSync("programs/example.json", "utf8"));
    const configPath = path.join(outDir, "base.json");
    fs.writeFileSync(configPath, JSON.stringify({ ...example, network: { chainId: 8453 } }));
    const error = await refusal(deploy({ configPath, deployerKey: key, yes: true }));
    expect(error.message).to.contain("serves chain 84532, but the config's network.chainId says 8453. Nothing was sent.");
    expect((error as { hint?: string }).hint).to.contain("Point --rpc at an endpoint of chain 8453");
    const flag = await refusal(deploy({ chainId: 1, deployerKey: key, yes: true }));
    expect(flag.message).to.contain("but --chain-id says 1");
    expect(await reader().getTransactionCount({ address })).to.equal(0);
  });

  it("refuses a deployer with too little coin for the plan, saying how much is needed and held", async () => {
    const { key, address } = await chain.fundedKey(parseEther("0.001"));
    const error = await refusal(deploy({ deployerKey: key, yes: true }));
    expect((error as PunchcardError).shortMessage).to.match(
      new RegExp(`^The deployer ${address} holds 0\\.001 ETH; the plan needs [0-9.]+ ETH\\. Nothing was sent\\.$`),
    );
    expect((error as { hint?: string }).hint).to.match(new RegExp(`^Send at least [0-9.]+ ETH to ${address} and run again\\.$`));
    expect(await reader().getTransactionCount({ address })).to.equal(0);
  });

  it("refuses a key on the command line, saying what to use; reads one from --key-file", async () => {
    const { key, address } = await chain.fundedKey(parseEther("100"));
    const errors: string[] = [];
    const outs: string[] = [];
    const io = { out: (text: string) => void outs.push(text), err: (text: string) => void errors.push(text) };
    const base = ["--config", "programs/example.json", "--network", "base-local", "--rpc", chain.url, "--out", outDir];
    for (const flag of ["--key", "--private-key", "--deployer-key"]) {
      expect(await runCommand(deployCommand, [...base, flag, key], io)).to.equal(2);
      expect(errors.at(-1))
        .to.contain(`${flag} is refused`)
        .and.to.contain("PUNCHCARD_DEPLOYER_KEY")
        .and.to.contain("--key-file");
    }
    const keyFile = path.join(outDir, "deployer.key");
    fs.writeFileSync(keyFile, `${key}\n`, { mode: 0o644 });
    expect(await runCommand(deployCommand, [...base, "--key-file", keyFile, "--plan"], io)).to.equal(1);
    expect(errors.at(-1)).to.contain(`Key file ${keyFile} can be read by other users`).and.to.contain(`chmod 600 ${keyFile}`);
    fs.chmodSync(keyFile, 0o600);
    expect(await runCommand(deployCommand, [...base, "--key-file", keyFile, "--plan", "--gas-price", "0.5"], io)).to.equal(0);
    expect(outs.join(""))
      .to.contain(`transactions from ${address} on chain 84532`)
      .and.to.contain("cost at --gas-price 0.5 gwei");
    expect(await reader().getTransactionCount({ address })).to.equal(0);
  });
});
