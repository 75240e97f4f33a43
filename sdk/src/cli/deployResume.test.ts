import { expect } from "chai";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import hre from "hardhat";
import { parseEther, toHex, type Abi, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { configHashOf, deployProgram } from "../deploy.js";
import { PunchcardError } from "../errors.js";
import type { DeploymentJournal } from "../internal/deploymentJournal.js";
import { PROGRAM_CONTRACTS, programKeyOf } from "../internal/deploymentSteps.js";
import { ROLES } from "../constants.js";
import { consentRegistryAbi, marketAbi, pointsAbi, rewardsAbi, stampsAbi } from "../generated/abis.js";
import { getProgramInfo } from "../read/getProgramInfo.js";
import { programFromRecord, type Program } from "../program.js";
import { journeyOf, perkOf } from "../utils/rewardsConfig.js";
import {
  landedSteps,
  progressJournal,
  progressPathOf,
  readProgress,
  type DeploymentProgress,
} from "../node/deployment/progressFile.js";
import { serveLiveChain } from "../../../test/helpers/liveChain.js";
import { testConfig } from "../../../test/helpers/viem.js";
import { walletClientFor, type CliClient } from "./clients.js";
import { deployFromConfig, readConfigFile } from "./deploy.js";

const repo = path.resolve(__dirname, "..", "..", "..");
const abis: Record<(typeof PROGRAM_CONTRACTS)[number], Abi> = {
  Stamps: stampsAbi,
  Points: pointsAbi,
  Market: marketAbi,
  ConsentRegistry: consentRegistryAbi,
  Rewards: rewardsAbi,
};

/**
 * Everything a program's reads say, with every address of the program (and its deployer) written as its name, so two
 * deployments by two deployers compare equal when they made the same program: every view of no argument of every
 * contract, every role of the program's accounts on every contract, the operators, the series, the currencies, the
 * journeys, the tiers and the perks.
 */
async function programState(client: CliClient, program: Program, deployer: Address, configPath: string) {
  const config = readConfigFile(configPath);
  const accounts: Record<string, Address> = {
    deployer,
    treasury: config.treasury,
    minter: config.roles.minter ?? deployer,
    pauser: config.roles.pauser ?? deployer,
    ...Object.fromEntries(PROGRAM_CONTRACTS.map((c) => [c, program[programKeyOf[c]]])),
  };
  const state: Record<string, unknown> = { info: await getProgramInfo(client, { program }) };
  for (const contract of PROGRAM_CONTRACTS) {
    const address = program[programKeyOf[contract]];
    const abi = abis[contract];
    for (const item of abi) {
      if (item.type !== "function" || item.inputs.length > 0 || !["view", "pure"].includes(item.stateMutability)) continue;
      // A hash over the contract's own address: eip712Domain() says the same with the address named.
      if (item.name === "DOMAIN_SEPARATOR") continue;
      state[`${contract}.${item.name}`] = await client.readContract({ address, abi, functionName: item.name });
    }
    for (const [role, id] of Object.entries(ROLES)) {
      for (const [who, account] of Object.entries(accounts)) {
        if (!abi.some((item) => item.type === "function" && item.name === "hasRole")) continue;
        state[`${contract}.hasRole(${role}, ${who})`] = await client.readContract({
          address,
          abi,
          functionName: "hasRole",
          args: [id, account],
        });
      }
    }
  }
  for (const token of ["Stamps", "Points"] as const) {
    for (const who of ["Market", "Rewards", "deployer"]) {
      const args = [accounts[who]!];
      state[`${token}.isOperator(${who})`] = await client.readContract({
        address: program[programKeyOf[token]],
        abi: abis[token],
        functionName: "isOperator",
        args,
      });
    }
  }
  for (const currency of config.market.allowedCurrencies) {
    state[`Market.isCurrencyAllowed(${currency})`] = await client.readContract({
      address: program.market,
      abi: marketAbi,
      functionName: "isCurrencyAllowed",
      args: [currency],
    });
  }
  for (const journey of config.journeys) {
    const args = [journeyOf(journey).journeyId] as const;
    state[`journey ${journey.id}`] = await client.readContract({
      address: program.rewards,
      abi: rewardsAbi,
      functionName: "journey",
      args,
    });
  }
  for (const perk of config.perks) {
    const args = [perkOf(perk, config.tiers).perkId] as const;
    state[`perk ${perk.id}`] = await client.readContract({
      address: program.rewards,
      abi: rewardsAbi,
      functionName: "perk",
      args,
    });
  }
  let text = JSON.stringify(state, (_key, value: unknown) => (typeof value === "bigint" ? `${value}n` : value));
  for (const [name, account] of Object.entries(accounts)) text = text.replace(new RegExp(account.slice(2), "gi"), `<${name}>`);
  return JSON.parse(text) as Record<string, unknown>;
}

/**
 * A cut of the process at one point of step `at` (counted from 0), thrown where the journal is written. With a local
 * key the hash is recorded ("sent") before the broadcast; with a node's unlocked account, the nonce ("sending") before
 * the broadcast and the hash after it, so "after broadcast, before its hash is recorded" is the cut that leaves a
 * transaction on the chain the journal knows only by its nonce.
 */
type CutPoint =
  "before broadcast" | "after broadcast, before its hash is recorded" | "after landing, before its record" | "after its record";
class Cut extends Error {}

function cutting(journal: DeploymentJournal, at: number, point: CutPoint): DeploymentJournal {
  let step = 0;
  return {
    get: (id) => journal.get(id),
    async set(id, record) {
      const here = step === at;
      if (here && point === "after landing, before its record" && record.status === "done") throw new Cut(point);
      if (here && point === "after broadcast, before its hash is recorded" && record.status === "sent") throw new Cut(point);
      await journal.set(id, record);
      // A local key records "sent" before its broadcast; a node's account records "sending".
      if (here && point === "before broadcast" && (record.status === "sending" || ("raw" in record && record.raw))) {
        throw new Cut(point);
      }
      if (record.status === "done") {
        if (here && point === "after its record") throw new Cut(point);
        step++;
      }
    },
  };
}

describe("cli: punchcard deploy --resume", () => {
  let outDir: string;
  let configPath: string;
  const log = () => undefined;

  beforeEach(async () => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-resume-"));
    const [, backend, treasury] = (await hre.network.provider.request({ method: "eth_accounts" })) as Address[];
    configPath = path.join(outDir, "resumable.json");
    fs.writeFileSync(configPath, JSON.stringify({ ...testConfig(treasury!, backend!), giftsAllowed: true }));
  });

  /** A fresh deployer (nonce 0) holding 100 ETH on the in-process chain. */
  async function freshKey() {
    const key = generatePrivateKey();
    await hre.network.provider.request({
      method: "hardhat_setBalance",
      params: [privateKeyToAccount(key).address, toHex(parseEther("100"))],
    });
    return key;
  }

  it("ends in the same program as a clean run, after a cut at every step and every point of it, sending no step twice", async function () {
    this.timeout(900_000);
    const clean = await deployFromConfig({
      configPath,
      network: "hardhat",
      outDir: path.join(outDir, "clean"),
      log,
      deployerKey: await freshKey(),
    });
    if (clean.status !== "deployed") expect.fail(clean.status);
    const reader = await walletClientFor("hardhat");
    const expected = await programState(reader, programFromRecord(clean.record), clean.record.deployer, configPath);
    const total = clean.steps.length;
    expect(total).to.be.greaterThan(15);

    const points: CutPoint[] = ["before broadcast", "after landing, before its record", "after its record"];
    for (let at = 0; at < total; at++) {
      for (const point of points) {
        const key = await freshKey();
        const dir = path.join(outDir, `${at}-${points.indexOf(point)}`);
        const where = `cut at step ${at} (${clean.steps[at]!.step.id}) ${point}`;
        const { deployer, sent, state } = await cutAndResume({ key, at, point, dir, where });
        // Nothing was sent twice: the deployer's nonce counts one transaction a step.
        expect(sent, where).to.equal(total);
        expect(state, where).to.deep.equal(expected);
        expect(deployer).not.to.equal(clean.record.deployer);
      }
    }
  });

  it("resumes the deployment of a node's unlocked account, finding a transaction sent before its hash was recorded", async function () {
    this.timeout(300_000);
    const clean = await deployFromConfig({
      configPath,
      network: "hardhat",
      outDir: path.join(outDir, "clean"),
      log,
      force: true,
    });
    if (clean.status !== "deployed") expect.fail(clean.status);
    const reader = await walletClientFor("hardhat");
    const expected = await programState(reader, programFromRecord(clean.record), clean.record.deployer, configPath);
    const total = clean.steps.length;
    const points: CutPoint[] = ["before broadcast", "after broadcast, before its hash is recorded"];
    for (const at of [0, 4, 9, total - 1]) {
      for (const point of points) {
        const where = `unlocked account, cut at step ${at} ${point}`;
        const dir = path.join(outDir, `unlocked-${at}-${points.indexOf(point)}`);
        const { deployer, sent, state } = await cutAndResume({ at, point, dir, where });
        expect(deployer).to.equal(clean.record.deployer);
        expect(sent, where).to.equal(total);
        expect(state, where).to.deep.equal(expected);
      }
    }
  });

  it("refuses, before any transaction, a resume of another chain, config or deployer, and a fresh deploy over a cut one", async () => {
    const key = await freshKey();
    const client = await walletClientFor("hardhat", { env: { DEPLOYER_KEY: key } });
    const deployer = client.account.address;
    const progressPath = progressPathOf(path.join(outDir, "hardhat", "resumable.json"));
    const progress: DeploymentProgress = {
      version: 1,
      brand: "Test Coffee",
      network: "hardhat",
      chainId: 31337,
      configHash: configHashOf(readConfigFile(configPath)),
      deployer,
      startedAt: new Date().toISOString(),
      steps: {},
    };
    await deployProgram(client, {
      config: readConfigFile(configPath),
      journal: cutting(progressJournal(progressPath, progress), 3, "after its record"),
    }).catch(() => undefined);
    const sent = await client.getTransactionCount({ address: deployer });
    expect(sent).to.equal(4);
    const refusal = async (options: Partial<Parameters<typeof deployFromConfig>[0]>) => {
      try {
        await deployFromConfig({ configPath, network: "hardhat", outDir, log, deployerKey: key, resume: true, ...options });
      } catch (error) {
        return error as PunchcardError;
      }
      return expect.fail("should have been refused");
    };

    const fresh = await refusal({ resume: false });
    expect(fresh.shortMessage).to.equal(
      `A deployment of resumable on hardhat was cut off after 4 landed steps (${progressPath}).`,
    );
    expect(fresh.hint).to.contain("Continue it with --resume");

    const edited = path.join(outDir, "edited");
    fs.mkdirSync(edited);
    const editedConfig = path.join(edited, "resumable.json");
    fs.writeFileSync(editedConfig, JSON.stringify({ ...JSON.parse(fs.readFileSync(configPath, "utf8")), royaltyBps: 600 }));
    fs.mkdirSync(path.join(edited, "hardhat"));
    fs.copyFileSync(progressPath, progressPathOf(path.join(edited, "hardhat", "resumable.json")));
    const otherConfig = await refusal({ configPath: editedConfig, outDir: edited });
    expect(otherConfig.shortMessage).to.match(
      /was started from another config \(hash 0x[0-9a-f]{64}, this one 0x[0-9a-f]{64}\)\. Nothing was sent\.$/,
    );
    expect(otherConfig.hint).to.contain("Resume with the config it was started with");

    const otherDeployer = await refusal({ deployerKey: await freshKey() });
    expect(otherDeployer.shortMessage).to.contain(`was started by ${deployer}`);

    const onOtherChain = { ...readProgress(progressPath)!, chainId: 8453 };
    fs.writeFileSync(progressPath, JSON.stringify(onOtherChain));
    const otherChain = await refusal({});
    expect(otherChain.shortMessage).to.contain("was started on chain 8453; this RPC serves chain 31337. Nothing was sent.");
    expect(otherChain.hint).to.equal("Resume with --rpc pointing at chain 8453.");

    const nothing = await refusal({ outDir: path.join(outDir, "elsewhere") });
    expect(nothing.shortMessage).to.match(/^Nothing to resume: there is no progress file /);
    expect(await client.getTransactionCount({ address: deployer })).to.equal(sent);
  });

  /**
   * Deploys the config with the deployer of `key` (else the node's first unlocked account) through the progress file
   * the CLI keeps, cut at step `at`, then resumes it with `punchcard deploy --resume`'s function. Returns how many
   * transactions the deployer sent meanwhile and the resumed program's state.
   */
  async function cutAndResume({
    key,
    at,
    point,
    dir,
    where,
  }: {
    key?: Hex;
    at: number;
    point: CutPoint;
    dir: string;
    where: string;
  }) {
    const client = await walletClientFor("hardhat", key ? { env: { DEPLOYER_KEY: key } } : {});
    const deployer = client.account.address;
    const before = await client.getTransactionCount({ address: deployer });
    const progressPath = progressPathOf(path.join(dir, "hardhat", "resumable.json"));
    const progress: DeploymentProgress = {
      version: 1,
      brand: "Test Coffee",
      network: "hardhat",
      chainId: 31337,
      configHash: configHashOf(readConfigFile(configPath)),
      deployer,
      startedAt: new Date().toISOString(),
      steps: {},
    };
    let cut: unknown;
    await deployProgram(client, {
      config: readConfigFile(configPath),
      journal: cutting(progressJournal(progressPath, progress), at, point),
    }).catch((error: unknown) => (cut = error));
    expect((cut as { cause?: unknown })?.cause ?? cut, where).to.be.instanceOf(Cut);

    const resumed = await deployFromConfig({
      configPath,
      network: "hardhat",
      outDir: dir,
      log,
      resume: true,
      ...(key ? { deployerKey: key } : {}),
    });
    if (resumed.status !== "deployed") expect.fail(resumed.status);
    const finished = readProgress(progressPath)!;
    expect(
      Object.values(finished.steps).every((step) => step.status === "done"),
      where,
    ).to.equal(true);
    const sent = (await client.getTransactionCount({ address: deployer })) - before;
    const state = await programState(client, programFromRecord(resumed.record), deployer, configPath);
    return { deployer, sent, state };
  }

  it("resumes a `punchcard deploy` process killed with SIGKILL on a chain that is not a dev chain", async function () {
    this.timeout(600_000);
    const chain = await serveLiveChain();
    try {
      const common = { configPath, network: "base-local", rpc: chain.url, log, yes: true, confirmations: 1 };
      const clean = await deployFromConfig({
        ...common,
        outDir: path.join(outDir, "clean"),
        deployerKey: (await chain.fundedKey(parseEther("100"))).key,
      });
      if (clean.status !== "deployed") expect.fail(clean.status);
      const total = clean.steps.length;

      const { key, address } = await chain.fundedKey(parseEther("100"));
      const dir = path.join(outDir, "killed");
      const progressPath = progressPathOf(path.join(dir, "base-local", "resumable.json"));
      const env = Object.fromEntries(
        Object.entries(process.env).filter(([k]) => !k.startsWith("TS_NODE") && k !== "NODE_OPTIONS"),
      );
      const argv = ["--config", configPath, "--network", "base-local", "--rpc", chain.url, "--yes", "--confirmations", "1"];
      const child = spawn(
        process.execPath,
        [
          path.join(repo, "node_modules", "ts-node", "dist", "bin.js"),
          "--transpile-only",
          "sdk/src/cli/bin.ts",
          "deploy",
          ...argv,
          "--out",
          dir,
        ],
        { cwd: repo, env: { ...env, PUNCHCARD_DEPLOYER_KEY: key }, stdio: ["ignore", "pipe", "pipe"] },
      );
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
      // Killed in the middle: once 8 steps have landed (whatever it is doing then: sending, waiting, recording).
      const killAt = 8;
      for (let i = 0; i < 6_000; i++) {
        const progress = fs.existsSync(progressPath) ? readProgress(progressPath) : undefined;
        if (progress && landedSteps(progress) >= killAt) break;
        if (child.exitCode !== null) expect.fail(`deploy exited before it was killed:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      child.kill("SIGKILL");
      expect(await exited).to.equal("SIGKILL");
      const cutAt = landedSteps(readProgress(progressPath)!);
      expect(cutAt, output).to.be.within(killAt, total - 1);

      const lines: string[] = [];
      const resumed = await deployFromConfig({
        ...common,
        outDir: dir,
        deployerKey: key,
        resume: true,
        log: (l) => lines.push(l),
      });
      if (resumed.status !== "deployed") expect.fail(resumed.status);
      expect(lines[0]).to.equal(`Resuming the deployment of Test Coffee on base-local: ${cutAt} steps had landed.`);
      const reader = await walletClientFor("base-local", { rpc: chain.url });
      expect(await reader.getTransactionCount({ address })).to.equal(total);
      const expected = await programState(reader, programFromRecord(clean.record), clean.record.deployer, configPath);
      const state = await programState(reader, programFromRecord(resumed.record), address, configPath);
      expect(state).to.deep.equal(expected);
    } finally {
      await chain.close();
    }
  });
});
