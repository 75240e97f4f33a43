import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import hre, { ethers } from "hardhat";
import { encodeFunctionData, getAddress, parseEther, zeroAddress, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { entryPoint08Address } from "viem/account-abstraction";
import { brandPaymasterAbi, memberAccountFactoryAbi, pointsAbi, programFromRecord, type Program } from "@punchcard/sdk";
import { deployMemberAccounts } from "../deploy.js";
import { installEntryPoint } from "../../../test/account/entryPoint.js";
import { TestPasskey, TEST_RP_ID } from "../../../test/account/passkey.js";
import { handleOps, sponsoredUserOp } from "../../../test/account/userOps.js";
import { viemActors, type TestClient } from "../../../test/helpers/viem.js";
import { toMemberAccount } from "../account/toMemberAccount.js";
import { parseDeploymentRecord } from "../config/deploymentRecord.js";
import { runCommand, type Command } from "./command.js";
import { accountsCommand, deployAccountsFromRecord } from "./deployAccounts.js";
import { deployFromConfig } from "./deploy.js";

// punchcard accounts deploy / deployMemberAccounts: the factory and the brand's paymaster beside a deployed program,
// the deposit funded, both in the record. Every refusal happens before the first transaction (the deployer's nonce
// does not move).

const DEPOSIT = parseEther("0.25");

describe("cli: punchcard accounts deploy (member accounts: factory and paymaster)", () => {
  let outDir: string;
  let recordPath: string;
  let program: Program;
  let brand: TestClient;
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);

  before(async () => {
    await installEntryPoint();
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-accounts-"));
    const deployed = await deployFromConfig({
      configPath: "programs/example.json",
      network: "hardhat",
      outDir,
      log,
      force: true,
    });
    if (deployed.status !== "deployed") expect.fail(`deployed, not ${deployed.status}`);
    recordPath = deployed.recordPath;
    program = programFromRecord(deployed.record);
    brand = (await viemActors()).brand;
  });
  beforeEach(() => {
    lines.length = 0;
  });

  const nonce = () => brand.getTransactionCount({ address: brand.account.address });

  it("use: deploys the factory and the paymaster, funds the deposit to the wei, records both; the pair sponsors a member's first UserOp", async () => {
    const sponsorKey = privateKeyToAccount(generatePrivateKey());
    const outcome = await deployAccountsFromRecord({ recordPath, sponsor: sponsorKey.address, deposit: DEPOSIT, log });
    if (outcome.status !== "deployed") expect.fail(`deployed, not ${outcome.status}`);
    const { factory, paymaster } = outcome.accounts;
    expect(lines).to.include(`  MemberAccountFactory ${factory}`);
    expect(lines).to.include(`  BrandPaymaster ${paymaster}`);

    const record = parseDeploymentRecord(JSON.parse(fs.readFileSync(recordPath, "utf8")));
    expect(record.contracts).to.deep.include({ memberAccountFactory: factory, brandPaymaster: paymaster });
    // A record with them still reads as the same program (the accounts are not program contracts).
    expect(programFromRecord(record)).to.deep.equal(program);

    expect(await brand.readContract({ address: paymaster, abi: brandPaymasterAbi, functionName: "sponsor" })).to.equal(
      sponsorKey.address,
    );
    expect(await brand.readContract({ address: paymaster, abi: brandPaymasterAbi, functionName: "getDeposit" })).to.equal(
      DEPOSIT,
    );
    expect(outcome.accounts.deposit).to.equal(DEPOSIT);
    const adminRole = await brand.readContract({
      address: paymaster,
      abi: brandPaymasterAbi,
      functionName: "DEFAULT_ADMIN_ROLE",
    });
    expect(
      await brand.readContract({
        address: paymaster,
        abi: brandPaymasterAbi,
        functionName: "hasRole",
        args: [adminRole, brand.account.address],
      }),
    ).to.equal(true);
    expect(await brand.readContract({ address: factory, abi: memberAccountFactoryAbi, functionName: "implementation" })).to.match(
      /^0x/,
    );

    // A member with no coin: the first UserOp deploys the account through the new factory, the new paymaster pays.
    const [, , , , , , , , , , bundler] = await ethers.getSigners();
    const passkey = new TestPasskey("deploy-test");
    const member = await toMemberAccount({
      client: brand,
      credential: passkey.credential,
      factory,
      recoverer: brand.account.address,
      getFn: passkey.getFn,
      rpId: TEST_RP_ID,
    });
    const balanceOf = encodeFunctionData({ abi: pointsAbi, functionName: "balanceOf", args: [member.address] });
    const userOp = await sponsoredUserOp(member, [{ to: program.points, data: balanceOf }], { sponsor: sponsorKey, paymaster });
    const receipt = await (await handleOps(bundler!, [userOp])).wait();
    expect(receipt?.status).to.equal(1);
    expect(await brand.getCode({ address: member.address })).to.not.equal(undefined);
    expect(await brand.getBalance({ address: member.address })).to.equal(0n);
    const left = await brand.readContract({ address: paymaster, abi: brandPaymasterAbi, functionName: "getDeposit" });
    expect(left < DEPOSIT && left > 0n).to.equal(true);

    // Run again: nothing is sent, the record is kept.
    const before = await nonce();
    const again = await deployAccountsFromRecord({ recordPath, sponsor: sponsorKey.address, deposit: DEPOSIT, log });
    expect(again.status).to.equal("already-deployed");
    expect(await nonce()).to.equal(before);
    expect(lines.at(-1)).to.match(/already deployed \(paymaster/);
  });

  it("abuse: a chain with no EntryPoint v0.8 at its canonical address is refused before anything is sent", async () => {
    const snapshot = (await hre.network.provider.request({ method: "evm_snapshot" })) as string;
    try {
      await hre.network.provider.request({ method: "hardhat_setCode", params: [entryPoint08Address, "0x"] });
      const before = await nonce();
      const sponsor = privateKeyToAccount(generatePrivateKey()).address;
      const error = await deployMemberAccounts(brand, { program, sponsor, deposit: DEPOSIT }).catch((e: Error) => e);
      expect((error as Error).message).to.contain(`has no EntryPoint v0.8 at its canonical address ${entryPoint08Address}`);
      expect((error as Error).message).to.contain("Nothing was sent.");
      expect(await nonce()).to.equal(before);
    } finally {
      await hre.network.provider.request({ method: "evm_revert", params: [snapshot] });
    }
  });

  it("abuse: a sponsor that is no signing key (zero, a contract, not an address), no deposit, or more than the deployer holds is refused before anything is sent", async () => {
    const before = await nonce();
    const refusal = async (sponsor: Address, deposit = DEPOSIT) =>
      ((await deployMemberAccounts(brand, { program, sponsor, deposit }).catch((e: Error) => e)) as Error).message;
    expect(await refusal(zeroAddress)).to.match(/^sponsor must be the 0x address of the program server's sponsor key/);
    expect(await refusal("0x1234" as Address)).to.match(/^sponsor must be the 0x address/);
    expect(await refusal(program.stamps)).to.contain(`${getAddress(program.stamps)} is a contract`);
    const key = privateKeyToAccount(generatePrivateKey()).address;
    expect(await refusal(key, 0n)).to.match(/^deposit must be more than 0 wei/);
    expect(await refusal(key, parseEther("1000000000"))).to.match(
      /holds .* not enough for a deposit of 1000000000 .*Nothing was sent/s,
    );
    expect(await nonce()).to.equal(before);
  });

  it("abuse: the command refuses a malformed sponsor, a bad deposit, a key on the command line, an unknown subcommand; a record of another chain", async () => {
    const out: string[] = [];
    const run = (args: string[]) =>
      runCommand(accountsCommand as unknown as Command, args, { out: (t) => out.push(t), err: (t) => out.push(t) });
    const common = ["--program", recordPath, "--deposit", "0.1"];
    expect(await run(["deploy", ...common, "--sponsor", "0xnope"])).to.equal(2);
    expect(out.join("")).to.contain("--sponsor must be a 0x address of 20 bytes");
    out.length = 0;
    expect(await run(["deploy", "--program", recordPath, "--sponsor", zeroAddress, "--deposit", "a lot"])).to.equal(2);
    expect(out.join("")).to.contain("--deposit is in the chain's coin");
    out.length = 0;
    expect(await run(["deploy", ...common, "--sponsor", zeroAddress, "--key", "0x01"])).to.equal(2);
    expect(out.join("")).to.contain("--key is refused");
    out.length = 0;
    expect(await run(["launch", ...common, "--sponsor", zeroAddress])).to.equal(2);
    expect(out.join("")).to.contain('Unknown command "launch"');

    const foreign = path.join(outDir, "foreign.json");
    const record = JSON.parse(fs.readFileSync(recordPath, "utf8")) as { chainId: number };
    fs.writeFileSync(foreign, JSON.stringify({ ...record, chainId: 10 }));
    const error = await deployAccountsFromRecord({
      recordPath: foreign,
      sponsor: privateKeyToAccount(generatePrivateKey()).address as Hex,
      deposit: DEPOSIT,
      log,
    }).catch((e: Error) => e);
    expect((error as Error).message).to.contain("is on chain 10. Nothing was sent.");
  });
});
