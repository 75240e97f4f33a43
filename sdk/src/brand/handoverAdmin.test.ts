import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { encodeFunctionData, getAddress, isAddressEqual, type Address } from "viem";
import { PAUSE_SCOPES, PunchcardError, ROLES, getProgramInfo, setRoyalty, stampsAbi, toPunchcardError } from "../index.js";
import { getRoles } from "../read/getRoles.js";
import { handoverAdmin } from "./handoverAdmin.js";
import { deploySafe, execSafeTransaction, SAFE_PROGRAM_ADMIN_DELAY, safeProgram } from "../../../test/helpers/safe.js";
import { caught, expectRevert } from "../../../test/helpers/sdkErrors.js";
import type { TestClient } from "../../../test/helpers/viem.js";

/** Who holds `role` on the contract named `contract`, by getRoles. */
async function holders(client: TestClient, program: Awaited<ReturnType<typeof safeProgram>>["program"]) {
  const { contracts } = await getRoles(client, { program });
  return (contract: string, role: string): Address[] =>
    contracts.find((c) => c.contract === contract)?.roles.find((r) => r.role === role)?.holders ?? [];
}

/** The program once the Safe has accepted the admin role of every contract, after the delay. */
async function safeAdminProgram() {
  const base = await safeProgram();
  const { brand, backend, program, safe, owners } = base;
  const { accept, acceptAfter } = await handoverAdmin(brand, { program, safe, backend: backend.account.address });
  await time.increaseTo(acceptAfter + 1n);
  for (const call of accept) await execSafeTransaction(owners[0]!, [owners[0]!, owners[1]!], safe, call);
  return base;
}

describe("sdk: getRoles and handoverAdmin (a real 2-of-3 Safe)", () => {
  it("lists every role of every contract by name, with what it may do and who holds it", async () => {
    const { brand, program } = await loadFixture(safeProgram);
    const { contracts } = await getRoles(brand, { program });
    expect(contracts.map((c) => c.contract)).to.deep.equal(["stamps", "points", "market", "consent", "rewards"]);
    const deployer = getAddress(brand.account.address);
    for (const c of contracts) {
      expect(c.admin).to.equal(deployer);
      expect(c.pendingAdmin).to.equal(null);
      expect(c.adminDelaySeconds).to.equal(SAFE_PROGRAM_ADMIN_DELAY);
      expect(c.roles.find((r) => r.role === "admin")!.holders).to.deep.equal([deployer]);
    }
    const held = await holders(brand, program);
    // Rewards mints what vouchers pay: it is a minter of both tokens beside the deployer.
    expect(held("stamps", "minter")).to.have.members([deployer, getAddress(program.rewards)]);
    expect(held("points", "minter")).to.have.members([deployer, getAddress(program.rewards)]);
    expect(held("stamps", "pauser")).to.deep.equal([deployer]);
    expect(held("consent", "brand")).to.deep.equal([deployer]);
    expect(held("rewards", "issuer")).to.deep.equal([deployer]);
    // Read a few blocks per request (as a public endpoint demands of a long history), the answer is the same.
    expect(await getRoles(brand, { program, logBlockRange: 2n })).to.deep.equal({ contracts });
    const stampsRoles = contracts[0]!.roles;
    expect(stampsRoles.find((r) => r.role === "pauser")!.powers).to.contain("pauses");
  });

  it("refuses a Safe address with no code, or with code that is not a Safe, before any transaction", async () => {
    const { brand, program, members, safe } = await loadFixture(safeProgram);
    const nonce = await brand.getTransactionCount({ address: brand.account.address });
    const eoa = members[3]!.account.address;
    const noCode = (await caught(handoverAdmin(brand, { program, safe: eoa }))) as PunchcardError;
    expect(noCode).to.be.instanceOf(PunchcardError);
    expect(noCode.shortMessage).to.contain("has no code");
    expect(noCode.hint).to.contain("Create the Safe");
    const notSafe = (await caught(handoverAdmin(brand, { program, safe: program.points }))) as PunchcardError;
    expect(notSafe.shortMessage).to.contain("is a contract but not a Safe");
    const itself = (await caught(handoverAdmin(brand, { program, safe, backend: safe }))) as PunchcardError;
    expect(itself.shortMessage).to.contain("cannot also be");
    const contract = (await caught(handoverAdmin(brand, { program, safe, backend: program.rewards }))) as PunchcardError;
    expect(contract.shortMessage).to.contain("is a contract of the program");
    expect(await brand.getTransactionCount({ address: brand.account.address })).to.equal(nonce);
    // A Safe any one owner can drive is one key again.
    const oneOfThree = await deploySafe(
      members[3]!,
      [members[0]!, members[1]!, members[2]!].map((m) => m.account.address),
      1n,
    );
    const single = (await caught(handoverAdmin(brand, { program, safe: oneOfThree }))) as PunchcardError;
    expect(single.shortMessage).to.contain("needs 1 signature of 3");
    // Not the admin: the Safe's owner cannot hand the program to its Safe.
    const stranger = (await caught(handoverAdmin(members[0]!, { program, safe }))) as PunchcardError;
    expect(stranger.shortMessage).to.contain("is not the admin of stamps");
  });

  it("moves pauser to the Safe and the backend roles to the backend key, and begins the admin handover", async () => {
    const { brand, backend, program, safe } = await loadFixture(safeProgram);
    const result = await handoverAdmin(brand, { program, safe, backend: backend.account.address });
    expect(result.safe).to.deep.include({ address: safe, threshold: 2n });
    expect(result.kept).to.deep.equal([]);
    const moved = result.moved.map((m) => `${m.contract}.${m.role}->${isAddressEqual(m.to, safe) ? "safe" : "backend"}`);
    expect(moved).to.have.members([
      "stamps.minter->backend",
      "stamps.pauser->safe",
      "stamps.admin->safe",
      "points.minter->backend",
      "points.admin->safe",
      "market.admin->safe",
      "consent.brand->backend",
      "consent.admin->safe",
      "rewards.issuer->backend",
      "rewards.admin->safe",
    ]);
    const held = await holders(brand, program);
    const [safeAddress, backendAddress] = [getAddress(safe), getAddress(backend.account.address)];
    expect(held("stamps", "pauser")).to.deep.equal([safeAddress]);
    expect(held("stamps", "minter")).to.have.members([backendAddress, getAddress(program.rewards)]);
    expect(held("consent", "brand")).to.deep.equal([backendAddress]);
    expect(held("rewards", "issuer")).to.deep.equal([backendAddress]);
    const { contracts } = await getRoles(brand, { program });
    for (const c of contracts) {
      // The deployer stays admin until the Safe accepts: the handover can still be cancelled.
      expect(c.admin).to.equal(getAddress(brand.account.address));
      expect(c.pendingAdmin!.account).to.equal(safeAddress);
      expect(c.pendingAdmin!.acceptAfter <= result.acceptAfter).to.equal(true);
    }
    // The last contract's handover began in the latest block: the Safe may accept all once its delay has passed.
    expect(result.acceptAfter).to.equal(contracts[4]!.pendingAdmin!.acceptAfter);
    expect(result.acceptAfter).to.equal(BigInt(await time.latest()) + SAFE_PROGRAM_ADMIN_DELAY);
    expect(result.accept).to.have.length(5);

    // Running it again (a handover cut off halfway) sends nothing more and ends in the same place.
    const again = await handoverAdmin(brand, { program, safe, backend: backend.account.address });
    expect(again.transactions).to.deep.equal([]);
    expect(again.acceptAfter).to.equal(result.acceptAfter);
  });

  it("refuses while a handover to another account is pending, sending nothing", async () => {
    const { brand, program, safe, members } = await loadFixture(safeProgram);
    await brand.writeContract({
      address: program.market,
      abi: stampsAbi,
      functionName: "beginDefaultAdminTransfer",
      args: [members[3]!.account.address],
    });
    const nonce = await brand.getTransactionCount({ address: brand.account.address });
    const error = (await caught(handoverAdmin(brand, { program, safe }))) as PunchcardError;
    expect(error.shortMessage).to.contain("market already has a handover pending to");
    expect(error.hint).to.contain("cancelDefaultAdminTransfer");
    expect(await brand.getTransactionCount({ address: brand.account.address })).to.equal(nonce);
  });

  it("with the deployer as its own backend (or no backend key), the deployer keeps the backend roles and says so", async () => {
    const { brand, program, safe } = await loadFixture(safeProgram);
    // The deployer named as its own backend is the same: it keeps its roles, never renounces them.
    const { kept } = await handoverAdmin(brand, { program, safe, backend: brand.account.address });
    expect(kept.map((k) => `${k.contract}.${k.role}`)).to.have.members([
      "stamps.minter",
      "points.minter",
      "consent.brand",
      "rewards.issuer",
    ]);
    const held = await holders(brand, program);
    expect(held("consent", "brand")).to.deep.equal([getAddress(brand.account.address)]);
    expect(held("stamps", "pauser")).to.deep.equal([getAddress(safe)]);
  });

  it("the Safe accepts only after the delay, and only with 2 of its 3 owners' signatures", async () => {
    const { brand, backend, program, safe, owners } = await loadFixture(safeProgram);
    const { accept, acceptAfter } = await handoverAdmin(brand, { program, safe, backend: backend.account.address });
    const [ada, ben] = owners as [TestClient, TestClient];
    // Too early: the contract refuses, so the Safe's execTransaction reverts (GS013).
    expect(String(await caught(execSafeTransaction(ada, [ada, ben], safe, accept[0]!)))).to.contain("GS013");
    await time.increaseTo(acceptAfter + 1n);
    // One signature of three: the Safe itself refuses.
    expect(String(await caught(execSafeTransaction(ada, [ada], safe, accept[0]!)))).to.contain("GS020");
    for (const call of accept) await execSafeTransaction(ada, [ada, ben], safe, call);
    const { contracts } = await getRoles(brand, { program });
    for (const c of contracts) {
      expect(c.admin).to.equal(getAddress(safe));
      expect(c.pendingAdmin).to.equal(null);
    }
  });

  it("the Safe changes the royalty and pauses the market; the old deployer can do neither", async () => {
    const { brand, program, safe, owners, treasury } = await loadFixture(safeAdminProgram);
    const [, ben, cleo] = owners as [TestClient, TestClient, TestClient];
    await execSafeTransaction(cleo, [ben, cleo], safe, {
      to: program.stamps,
      data: encodeFunctionData({ abi: stampsAbi, functionName: "setRoyalty", args: [treasury.account.address, 250n] }),
    });
    expect((await getProgramInfo(brand, { program })).royalty.royaltyBps).to.equal(250n);
    await execSafeTransaction(cleo, [ben, cleo], safe, {
      to: program.stamps,
      data: encodeFunctionData({ abi: stampsAbi, functionName: "pause", args: [PAUSE_SCOPES.market] }),
    });
    const { pausedUntil } = (await getProgramInfo(brand, { program })).lifecycle;
    expect(pausedUntil.market === null, "market paused").to.equal(false);
    expect(pausedUntil.stamps === null, "stamps not paused").to.equal(true);

    const royalty = await expectRevert(
      setRoyalty(brand, { program, treasury: brand.account.address, royaltyBps: 1000n }),
      "AccessControlUnauthorizedAccount",
    );
    expect(royalty.args).to.deep.equal([getAddress(brand.account.address), ROLES.admin]);
    const pause = await caught(brand.simulateContract({ address: program.stamps, abi: stampsAbi, functionName: "unpause" }));
    expect(toPunchcardError(pause)).to.deep.include({ errorName: "AccessControlUnauthorizedAccount" });
    expect((await getProgramInfo(brand, { program })).royalty.royaltyBps).to.equal(250n);
  });

  it("once the Safe is admin, handing over again is refused: nothing to hand over", async () => {
    const { brand, program, safe } = await loadFixture(safeAdminProgram);
    const error = (await caught(handoverAdmin(brand, { program, safe }))) as PunchcardError;
    expect(error.hint).to.contain("already holds the admin role");
  });
});
