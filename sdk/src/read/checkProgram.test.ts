import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { encodeFunctionData, getAddress, parseAbi, parseEther, type Address } from "viem";
import { PAUSE_SCOPES, ROLES, announceProgramEnd, pointsAbi, stampsAbi } from "../index.js";
import {
  consentRegistryBytecode,
  marketBytecode,
  pointsBytecode,
  rewardsBytecode,
  stampsBytecode,
} from "../generated/bytecode.js";
import { handoverAdmin } from "../brand/handoverAdmin.js";
import { compareRuntimeCode } from "../internal/runtimeCode.js";
import { checkProgram, type CheckFindingCode, type CheckProgramParameters } from "./checkProgram.js";
import { execSafeTransaction, safeProgram } from "../../../test/helpers/safe.js";
import type { TestClient } from "../../../test/helpers/viem.js";
import { installEntryPoint } from "../../../test/account/entryPoint.js";

const bytecode = {
  stamps: stampsBytecode,
  points: pointsBytecode,
  market: marketBytecode,
  consent: consentRegistryBytecode,
  rewards: rewardsBytecode,
};

/** The program once the Safe accepted admin and the backend took the backend roles. */
async function safeAdminProgram() {
  const base = await safeProgram();
  const { brand, backend, program, safe, owners } = base;
  const { accept, acceptAfter } = await handoverAdmin(brand, { program, safe, backend: backend.account.address });
  await time.increaseTo(acceptAfter + 1n);
  for (const call of accept) await execSafeTransaction(owners[0]!, [owners[0]!, owners[1]!], safe, call);
  return base;
}

/** The risks checkProgram finds, as `code` or `code:contract`. */
async function risksOf(client: TestClient, parameters: CheckProgramParameters): Promise<string[]> {
  const { findings, risks } = await checkProgram(client, { bytecode, ...parameters });
  const found = findings.filter((f) => f.level === "risk").map((f) => (f.contract ? `${f.code}:${f.contract}` : f.code));
  expect(found).to.have.length(risks);
  return found;
}

const codes = (found: string[]) => new Set(found.map((f) => f.split(":")[0] as CheckFindingCode));

describe("sdk: checkProgram", () => {
  it("a program run by a Safe, with its backend known, has no risk; its terms are notes", async () => {
    const { brand, backend, program, safe } = await loadFixture(safeAdminProgram);
    const known = [safe, backend.account.address];
    expect(await risksOf(brand, { program, known })).to.deep.equal([]);
    const { findings } = await checkProgram(brand, { program, known });
    const notes = Object.fromEntries(findings.map((f) => [f.code, f.message]));
    expect(notes["royalty-and-fees"]).to.match(/^Royalty 5% of every resale to 0x[0-9a-fA-F]{40}; market fee 0%; swap fee 0/);
    expect(notes["points-terms"]).to.equal("Points: spendable at once; never expire; transferable.");
    expect(notes["program-terms"]).to.equal(
      "An end is announced at least 90 days ahead; a pause lifts by itself after 14 days at most.",
    );
  });

  it("admin held by a key without code: one risk per contract", async () => {
    const { brand, program } = await loadFixture(safeProgram);
    const found = await risksOf(brand, { program, known: [brand.account.address] });
    expect(found).to.have.members(["stamps", "points", "market", "consent", "rewards"].map((c) => `admin-without-code:${c}`));
  });

  it("a handover begun and not accepted, and a role held by an account nobody vouches for", async () => {
    const { brand, backend, program, safe, members } = await loadFixture(safeProgram);
    await handoverAdmin(brand, { program, safe, backend: backend.account.address });
    const found = await risksOf(brand, { program, known: [brand.account.address, safe, backend.account.address] });
    expect([...codes(found)]).to.have.members(["admin-without-code", "admin-handover-pending"]);
    expect(found.filter((f) => f.startsWith("admin-handover-pending"))).to.have.length(5);

    const stranger = members[4]!.account.address;
    await brand.writeContract({
      address: program.points,
      abi: pointsAbi,
      functionName: "grantRole",
      args: [ROLES.minter, stranger],
    });
    const { findings } = await checkProgram(brand, { program, known: [brand.account.address, safe, backend.account.address] });
    const unknown = findings.filter((f) => f.code === "role-unknown-holder");
    expect(unknown).to.have.length(1);
    expect(unknown[0]).to.deep.include({ contract: "points", account: getAddress(stranger), level: "risk" });
    expect(unknown[0]!.message).to.contain("holds the minter role");
    // Without the backend among the known accounts, its roles are flagged too.
    const withoutBackend = await risksOf(brand, { program, known: [brand.account.address, safe] });
    expect(withoutBackend.filter((f) => f.startsWith("role-unknown-holder"))).to.have.length(5);
  });

  it("an admin Safe any one owner drives (threshold lowered to 1)", async () => {
    const { brand, backend, program, safe, owners } = await loadFixture(safeAdminProgram);
    const known = [safe, backend.account.address];
    const [ada, ben] = owners as [TestClient, TestClient];
    const changeThreshold = parseAbi(["function changeThreshold(uint256 threshold)"]);
    await execSafeTransaction(ada, [ada, ben], safe, {
      to: safe,
      data: encodeFunctionData({ abi: changeThreshold, functionName: "changeThreshold", args: [1n] }),
    });
    const found = await risksOf(brand, { program, known });
    expect(found).to.have.members(["stamps", "points", "market", "consent", "rewards"].map((c) => `admin-single-signer:${c}`));
  });

  it("a relayer below the floor", async () => {
    const { brand, backend, program, safe, members } = await loadFixture(safeAdminProgram);
    const relayer = members[4]!.account.address;
    const known = [safe, backend.account.address];
    await hre.network.provider.send("hardhat_setBalance", [relayer, "0x2386f26fc0ffff"]); // 0.01 ETH - 1 wei
    expect(await risksOf(brand, { program, known, relayers: [relayer] })).to.deep.equal(["relayer-balance-low"]);
    expect(await risksOf(brand, { program, known, relayers: [relayer], minRelayerBalance: parseEther("0.005") })).to.deep.equal(
      [],
    );
    await hre.network.provider.send("hardhat_setBalance", [relayer, "0x2386f26fc10000"]); // 0.01 ETH
    expect(await risksOf(brand, { program, known, relayers: [relayer] })).to.deep.equal([]);
  });

  it("a paymaster is measured by its EntryPoint deposit, not its own coin (which a paymaster never holds)", async () => {
    const { brand, backend, program, safe } = await loadFixture(safeAdminProgram);
    const known = [safe, backend.account.address];
    await installEntryPoint();
    const paymaster = await ethers.deployContract("BrandPaymaster", [backend.account.address, brand.account.address, 0]);
    const address = (await paymaster.getAddress()) as Address;
    await paymaster.deposit({ value: parseEther("0.01") - 1n });
    expect(await risksOf(brand, { program, known, relayers: [address] })).to.deep.equal(["paymaster-deposit-low"]);
    await paymaster.deposit({ value: 1n });
    // 0.01 ETH deposited, 0 coin held: nothing to report.
    expect(await hre.ethers.provider.getBalance(address)).to.equal(0n);
    expect(await risksOf(brand, { program, known, relayers: [address] })).to.deep.equal([]);
  });

  it("a pause in force, then lifted but recent, then old", async () => {
    const { brand, program, owners, safe, backend } = await loadFixture(safeAdminProgram);
    const known = [safe, backend.account.address];
    const [ada, ben] = owners as [TestClient, TestClient];
    const call = (functionName: "pause" | "unpause") => ({
      to: program.stamps,
      data:
        functionName === "pause"
          ? encodeFunctionData({ abi: stampsAbi, functionName, args: [PAUSE_SCOPES.market] })
          : encodeFunctionData({ abi: stampsAbi, functionName }),
    });
    await execSafeTransaction(ada, [ada, ben], safe, call("pause"));
    expect(await risksOf(brand, { program, known })).to.have.members(["pause-active", "pause-recent"]);
    const { findings } = await checkProgram(brand, { program, known });
    expect(findings.find((f) => f.code === "pause-active")!.message).to.match(/^A pause of the market is in force until /);
    await execSafeTransaction(ada, [ada, ben], safe, call("unpause"));
    expect(await risksOf(brand, { program, known })).to.deep.equal(["pause-recent"]);
    await time.increase(31 * 86_400);
    expect(await risksOf(brand, { program, known })).to.deep.equal([]);
    expect(await risksOf(brand, { program, known, recentPauseDays: 40 })).to.deep.equal(["pause-recent"]);
  });

  it("an announced end", async () => {
    const { brand, program } = await loadFixture(safeProgram);
    await announceProgramEnd(brand, { program });
    const found = await risksOf(brand, { program, known: [brand.account.address] });
    expect(found.filter((f) => !f.startsWith("admin-without-code"))).to.deep.equal(["end-announced"]);
  });

  it("code that is not the SDK's, immutables aside", async () => {
    const { brand, program } = await loadFixture(safeProgram);
    const known: Address[] = [brand.account.address];
    const stampsCode = (await brand.getCode({ address: program.stamps }))!;
    // Stamps' immutables (its EIP-712 domain, its notice and pause bounds...) differ per deployment: set aside.
    const stamps = compareRuntimeCode(stampsCode, stampsBytecode);
    expect(stamps.matches).to.equal(true);
    expect(stamps.immutables).to.be.greaterThan(0);
    expect(compareRuntimeCode(stampsCode, pointsBytecode).matches).to.equal(false);
    // One byte changed outside the immutables (the last byte of the metadata, so the contract still runs): reported.
    const marketCode = (await brand.getCode({ address: program.market }))!;
    expect(compareRuntimeCode(marketCode, marketBytecode).matches).to.equal(true);
    const tampered = `${marketCode.slice(0, -2)}${marketCode.endsWith("00") ? "01" : "00"}`;
    await hre.network.provider.send("hardhat_setCode", [program.market, tampered]);
    const found = await risksOf(brand, { program, known });
    expect(found.filter((f) => f.startsWith("code-mismatch"))).to.deep.equal(["code-mismatch:market"]);
    // Without the SDK's bytecode, code is not compared.
    const { findings } = await checkProgram(brand, { program, known });
    expect(findings.filter((f) => f.code === "code-mismatch")).to.deep.equal([]);
  });
});
