import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createWalletClient, defineChain, encodeFunctionData, getAddress, http, publicActions, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { PAUSE_SCOPES, ROLES, getProgramInfo, setRoyalty, stampsAbi } from "../index.js";
import { deployProgram } from "../brand/deployProgram.js";
import { recordFromProgram } from "../program.js";
import { getRoles } from "../read/getRoles.js";
import { serveLiveChain } from "../../../test/helpers/liveChain.js";
import { deploySafe, execSafeTransaction, SAFE_PROGRAM_ADMIN_DELAY } from "../../../test/helpers/safe.js";
import { expectRevert } from "../../../test/helpers/sdkErrors.js";
import { testConfig, type TestClient } from "../../../test/helpers/viem.js";
import { CHECK_RISK_EXIT_CODE, checkCommand } from "./check.js";
import { runCommand } from "./command.js";
import { rolesCommand } from "./roles.js";

// The whole handover as a brand runs it on a public chain: a node that is not a development chain (Base Sepolia's
// chain id), keys of its own (no unlocked account), the commands reading the deployer's key from the environment.
describe("cli: a Safe takes over a program on a chain that is not a development chain (84532)", () => {
  let chain: Awaited<ReturnType<typeof serveLiveChain>>;
  const savedKey = process.env.PUNCHCARD_DEPLOYER_KEY;
  before(async () => {
    chain = await serveLiveChain();
  });
  after(async () => {
    if (savedKey === undefined) delete process.env.PUNCHCARD_DEPLOYER_KEY;
    else process.env.PUNCHCARD_DEPLOYER_KEY = savedKey;
    await chain.close();
  });

  it("roles handover, the 2-of-3 Safe accepts after the delay, changes the royalty and pauses; the deployer cannot; check follows", async () => {
    const baseSepolia = defineChain({
      id: chain.chainId,
      name: "Base Sepolia (local)",
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [chain.url] } },
    });
    // The test helpers are typed for the in-process chain's clients; these have the same actions over HTTP.
    const clientOf = (key: Hex) =>
      createWalletClient({
        account: privateKeyToAccount(key),
        chain: baseSepolia,
        transport: http(chain.url),
        pollingInterval: 20,
      }).extend(publicActions) as unknown as TestClient;
    const funded = await Promise.all(Array.from({ length: 5 }, () => chain.fundedKey(10n ** 20n)));
    const [brandKey, treasuryKey, backendKey, ...ownerKeys] = funded.map((f) => f.key) as [Hex, Hex, Hex, Hex, Hex];
    const brand = clientOf(brandKey);
    const treasury = privateKeyToAccount(treasuryKey).address;
    const backend = privateKeyToAccount(backendKey).address;
    const owners = [...ownerKeys, (await chain.fundedKey(10n ** 20n)).key].map(clientOf);

    const config = testConfig(treasury, brand.account.address);
    config.roles = { adminDelaySeconds: Number(SAFE_PROGRAM_ADMIN_DELAY) };
    const { program } = await deployProgram(brand, { config });
    const safe = await deploySafe(
      brand,
      owners.map((o) => o.account.address),
      2n,
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-safe-live-"));
    const recordPath = path.join(dir, "northwind.json");
    const record = recordFromProgram(program, {
      brand: "Northwind",
      network: "base-sepolia",
      configHash: `0x${"00".repeat(32)}`,
      deployer: brand.account.address,
    });
    fs.writeFileSync(recordPath, JSON.stringify(record));

    const run = async (command: typeof rolesCommand | typeof checkCommand, args: string[]) => {
      let stdout = "";
      let stderr = "";
      const code = await runCommand(command as typeof rolesCommand, [...args, "--program", recordPath, "--rpc", chain.url], {
        out: (t) => (stdout += t),
        err: (t) => (stderr += t),
      });
      return { code, stdout, stderr };
    };

    process.env.PUNCHCARD_DEPLOYER_KEY = brandKey;
    const handover = await run(rolesCommand, ["handover", "--to", safe, "--backend", backend]);
    expect(handover.code, handover.stderr).to.equal(0);
    const pending = await run(checkCommand, ["--json"]);
    expect(pending.code).to.equal(CHECK_RISK_EXIT_CODE);
    expect(JSON.parse(pending.stdout).findings.map((f: { code: string }) => f.code)).to.include("admin-handover-pending");

    const accept = JSON.parse((await run(rolesCommand, ["accept", "--json"])).stdout) as {
      calls: { to: `0x${string}`; data: Hex }[];
    };
    // Before the delay the Safe cannot accept (the contract refuses, so execTransaction fails: GS013).
    const early = await execSafeTransaction(owners[1]!, [owners[1]!, owners[2]!], safe, accept.calls[0]!).catch(
      (error: unknown) => String(error),
    );
    expect(early).to.contain("GS013");
    await chain.request("evm_increaseTime", [Number(SAFE_PROGRAM_ADMIN_DELAY) + 1]);
    await chain.request("evm_mine");
    for (const call of accept.calls) await execSafeTransaction(owners[1]!, [owners[1]!, owners[2]!], safe, call);
    for (const c of (await getRoles(brand, { program })).contracts) expect(c.admin).to.equal(getAddress(safe));
    const clean = await run(checkCommand, []);
    expect(clean.code, clean.stdout + clean.stderr).to.equal(0);
    expect(clean.stdout).to.contain("No risk found.");

    await execSafeTransaction(owners[0]!, [owners[0]!, owners[2]!], safe, {
      to: program.stamps,
      data: encodeFunctionData({ abi: stampsAbi, functionName: "setRoyalty", args: [treasury, 250n] }),
    });
    expect((await getProgramInfo(brand, { program })).royalty.royaltyBps).to.equal(250n);
    await execSafeTransaction(owners[0]!, [owners[0]!, owners[2]!], safe, {
      to: program.stamps,
      data: encodeFunctionData({ abi: stampsAbi, functionName: "pause", args: [PAUSE_SCOPES.market] }),
    });
    expect((await getProgramInfo(brand, { program })).lifecycle.pausedUntil.market === null, "market paused").to.equal(false);
    const royalty = await expectRevert(
      setRoyalty(brand, { program, treasury: brand.account.address, royaltyBps: 1000n }),
      "AccessControlUnauthorizedAccount",
    );
    expect(royalty.args).to.deep.equal([getAddress(brand.account.address), ROLES.admin]);
    const paused = await run(checkCommand, ["--json"]);
    expect(paused.code).to.equal(CHECK_RISK_EXIT_CODE);
    expect(JSON.parse(paused.stdout).findings.map((f: { code: string }) => f.code)).to.include("pause-active");
  });
});
