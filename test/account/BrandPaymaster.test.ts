import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { concat, encodeFunctionData, slice, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { memberAccountAbi } from "../../sdk/src/generated/abis";
import { deployAccountFixture, PAYMASTER_DEPOSIT } from "./fixture";
import { chainNow, entryPointAs, handleOps, signUserOp, sponsor, sponsoredUserOp, unsignedUserOp } from "./userOps";

const ONE_ETH = ethers.parseEther("1");

async function fixture() {
  const f = await deployAccountFixture();
  const entryPoint = entryPointAs(f.bundler);
  // A harmless first action: the member names the same recoverer (one UserOp, which also deploys the account).
  const calls = [
    {
      to: f.member.address,
      data: encodeFunctionData({ abi: memberAccountAbi, functionName: "setRecoverer", args: [f.recoverer.address as Address] }),
    },
  ];
  const options = { sponsor: f.sponsorKey, paymaster: f.paymasterAddress };
  return { ...f, entryPoint, calls, options };
}

describe("BrandPaymaster", () => {
  describe("sponsorship through the EntryPoint", () => {
    it("pays for a UserOp the sponsor signed: the member's account holds 0 coin, the deposit pays to the wei", async () => {
      const f = await loadFixture(fixture);
      const userOp = await sponsoredUserOp(f.member, f.calls, f.options);
      const tx = await handleOps(f.bundler, [userOp]);
      const receipt = await tx.wait();
      const event = receipt?.logs
        .map((log) => {
          try {
            return f.entryPoint.interface.parseLog(log);
          } catch {
            return null;
          }
        })
        .find((parsed) => parsed?.name === "UserOperationEvent");
      if (!event) throw new Error("no UserOperationEvent");
      expect(event.args.paymaster).to.equal(f.paymasterAddress);
      expect(event.args.success).to.equal(true);
      const actualGasCost = event.args.actualGasCost as bigint;
      expect(actualGasCost).to.be.greaterThan(0n);
      expect(await f.paymaster.getDeposit()).to.equal(PAYMASTER_DEPOSIT - actualGasCost);
      expect(await ethers.provider.getBalance(f.member.address)).to.equal(0n);
      expect(await f.entryPoint.getFunction("balanceOf")(f.member.address)).to.equal(0n);
    });

    it("abuse: a UserOp with no sponsor signature is refused (AA34), and so is one with no paymaster data at all", async () => {
      const f = await loadFixture(fixture);
      const unsigned = await unsignedUserOp(f.member, f.calls, { paymaster: f.paymasterAddress, paymasterData: "0x" });
      await expect(handleOps(f.bundler, [await signUserOp(f.member, unsigned)]))
        .to.be.revertedWithCustomError(f.entryPoint, "FailedOp")
        .withArgs(0, "AA34 signature error");
      const sponsored = await sponsor(await unsignedUserOp(f.member, f.calls), f.options);
      const stripped = { ...sponsored, paymasterData: slice(sponsored.paymasterData ?? "0x", 0, 12) };
      await expect(handleOps(f.bundler, [await signUserOp(f.member, stripped)]))
        .to.be.revertedWithCustomError(f.entryPoint, "FailedOp")
        .withArgs(0, "AA34 signature error");
    });

    it("abuse: an expired sponsorship, and one not valid yet, are refused (AA32)", async () => {
      const f = await loadFixture(fixture);
      const expired = await sponsoredUserOp(f.member, f.calls, { ...f.options, lifetime: 60 });
      await time.increase(61);
      await expect(handleOps(f.bundler, [expired]))
        .to.be.revertedWithCustomError(f.entryPoint, "FailedOp")
        .withArgs(0, "AA32 paymaster expired or not due");
      const now = await chainNow();
      const early = await sponsoredUserOp(f.member, f.calls, { ...f.options, validAfter: now + 600, validUntil: now + 1200 });
      await expect(handleOps(f.bundler, [early]))
        .to.be.revertedWithCustomError(f.entryPoint, "FailedOp")
        .withArgs(0, "AA32 paymaster expired or not due");
    });

    it("abuse: the sponsor's signature for one UserOp pays for no other (other calls, other gas, other account)", async () => {
      const f = await loadFixture(fixture);
      const sponsored = await sponsor(await unsignedUserOp(f.member, f.calls), f.options);
      const otherCalls = await unsignedUserOp(f.member, [{ to: f.member.address, data: "0x" }]);
      const swapped = { ...otherCalls, paymaster: f.paymasterAddress, paymasterData: sponsored.paymasterData };
      await expect(handleOps(f.bundler, [await signUserOp(f.member, swapped)]))
        .to.be.revertedWithCustomError(f.entryPoint, "FailedOp")
        .withArgs(0, "AA34 signature error");
      const moreGas = { ...sponsored, callGasLimit: sponsored.callGasLimit * 2n };
      await expect(handleOps(f.bundler, [await signUserOp(f.member, moreGas)]))
        .to.be.revertedWithCustomError(f.entryPoint, "FailedOp")
        .withArgs(0, "AA34 signature error");
      // Same window, longer: the window is signed too.
      const window = sponsored.paymasterData ?? "0x";
      const stretched = { ...sponsored, paymasterData: concat([slice(window, 0, 6), "0xffffffffffff", slice(window, 12)]) };
      await expect(handleOps(f.bundler, [await signUserOp(f.member, stretched)]))
        .to.be.revertedWithCustomError(f.entryPoint, "FailedOp")
        .withArgs(0, "AA34 signature error");
    });

    it("abuse: a signature by any key but the sponsor's (a stranger's, or the sponsor's before rotation) is refused", async () => {
      const f = await loadFixture(fixture);
      const forged = await sponsoredUserOp(f.member, f.calls, {
        ...f.options,
        sponsor: privateKeyToAccount(generatePrivateKey()),
      });
      await expect(handleOps(f.bundler, [forged]))
        .to.be.revertedWithCustomError(f.entryPoint, "FailedOp")
        .withArgs(0, "AA34 signature error");
      const next = privateKeyToAccount(generatePrivateKey());
      await f.paymaster.connect(f.admin).setSponsor(next.address);
      const old = await sponsoredUserOp(f.member, f.calls, f.options);
      await expect(handleOps(f.bundler, [old]))
        .to.be.revertedWithCustomError(f.entryPoint, "FailedOp")
        .withArgs(0, "AA34 signature error");
      await expect(handleOps(f.bundler, [await sponsoredUserOp(f.member, f.calls, { ...f.options, sponsor: next })])).to.emit(
        f.entryPoint,
        "UserOperationEvent",
      );
    });

    it("abuse: nobody but the EntryPoint calls validatePaymasterUserOp or postOp", async () => {
      const f = await loadFixture(fixture);
      const userOp = await sponsoredUserOp(f.member, f.calls, f.options);
      const { toPackedUserOperation } = await import("viem/account-abstraction");
      await expect(f.paymaster.connect(f.stranger).validatePaymasterUserOp(toPackedUserOperation(userOp), ethers.ZeroHash, 0))
        .to.be.revertedWithCustomError(f.paymaster, "PaymasterUnauthorized")
        .withArgs(f.stranger.address);
      await expect(f.paymaster.connect(f.stranger).postOp(0, "0x", 0, 0))
        .to.be.revertedWithCustomError(f.paymaster, "PaymasterUnauthorized")
        .withArgs(f.stranger.address);
    });
  });

  describe("constructor and setSponsor", () => {
    it("starts with the sponsor it was given (event) and refuses the zero address", async () => {
      const f = await loadFixture(fixture);
      expect(await f.paymaster.sponsor()).to.equal(f.sponsorKey.address);
      const factory = await ethers.getContractFactory("BrandPaymaster");
      const fresh = await factory.deploy(f.stranger.address, f.admin.address, 0);
      await expect(fresh.deploymentTransaction()).to.emit(fresh, "SponsorSet").withArgs(f.stranger.address);
      await expect(factory.deploy(ethers.ZeroAddress, f.admin.address, 0)).to.be.revertedWithCustomError(
        f.paymaster,
        "BrandPaymasterZeroSponsor",
      );
    });

    it("the admin rotates the sponsor; nobody else can, and never to zero", async () => {
      const f = await loadFixture(fixture);
      await expect(f.paymaster.connect(f.admin).setSponsor(f.stranger.address))
        .to.emit(f.paymaster, "SponsorSet")
        .withArgs(f.stranger.address);
      expect(await f.paymaster.sponsor()).to.equal(f.stranger.address);
      await expect(f.paymaster.connect(f.admin).setSponsor(ethers.ZeroAddress)).to.be.revertedWithCustomError(
        f.paymaster,
        "BrandPaymasterZeroSponsor",
      );
      await expect(f.paymaster.connect(f.stranger).setSponsor(f.stranger.address))
        .to.be.revertedWithCustomError(f.paymaster, "AccessControlUnauthorizedAccount")
        .withArgs(f.stranger.address, ethers.ZeroHash);
    });
  });

  describe("deposit and withdraw", () => {
    it("anyone deposits; only the admin withdraws, to the wei, with its event", async () => {
      const f = await loadFixture(fixture);
      await expect(f.paymaster.connect(f.stranger).deposit({ value: ONE_ETH }))
        .to.emit(f.entryPoint, "Deposited")
        .withArgs(f.paymasterAddress, PAYMASTER_DEPOSIT + ONE_ETH);
      expect(await f.paymaster.getDeposit()).to.equal(PAYMASTER_DEPOSIT + ONE_ETH);

      const amount = ethers.parseEther("2.5");
      const withdrawal = f.paymaster.connect(f.admin).withdraw(f.treasury.address, amount);
      await expect(withdrawal).to.emit(f.paymaster, "DepositWithdrawn").withArgs(f.treasury.address, amount);
      await expect(withdrawal).to.changeEtherBalance(f.treasury, amount);
      expect(await f.paymaster.getDeposit()).to.equal(PAYMASTER_DEPOSIT + ONE_ETH - amount);
    });

    it("abuse: a stranger (or the sponsor key) withdrawing; the admin withdrawing to zero or more than the deposit", async () => {
      const f = await loadFixture(fixture);
      await expect(f.paymaster.connect(f.stranger).withdraw(f.stranger.address, 1n))
        .to.be.revertedWithCustomError(f.paymaster, "AccessControlUnauthorizedAccount")
        .withArgs(f.stranger.address, ethers.ZeroHash);
      await expect(f.paymaster.connect(f.admin).withdraw(ethers.ZeroAddress, 1n)).to.be.revertedWithCustomError(
        f.paymaster,
        "BrandPaymasterZeroAddress",
      );
      await expect(f.paymaster.connect(f.admin).withdraw(f.admin.address, PAYMASTER_DEPOSIT + 1n)).to.be.reverted;
    });
  });

  describe("stake", () => {
    it("the admin stakes, unlocks and withdraws the stake after the delay; nobody else can", async () => {
      const f = await loadFixture(fixture);
      await expect(f.paymaster.connect(f.stranger).addStake(86_400, { value: ONE_ETH }))
        .to.be.revertedWithCustomError(f.paymaster, "AccessControlUnauthorizedAccount")
        .withArgs(f.stranger.address, ethers.ZeroHash);
      await expect(f.paymaster.connect(f.admin).addStake(86_400, { value: ONE_ETH }))
        .to.emit(f.entryPoint, "StakeLocked")
        .withArgs(f.paymasterAddress, ONE_ETH, 86_400);
      await expect(f.paymaster.connect(f.stranger).unlockStake())
        .to.be.revertedWithCustomError(f.paymaster, "AccessControlUnauthorizedAccount")
        .withArgs(f.stranger.address, ethers.ZeroHash);
      await expect(f.paymaster.connect(f.admin).unlockStake()).to.emit(f.entryPoint, "StakeUnlocked");
      await time.increase(86_400);
      await expect(f.paymaster.connect(f.stranger).withdrawStake(f.stranger.address))
        .to.be.revertedWithCustomError(f.paymaster, "AccessControlUnauthorizedAccount")
        .withArgs(f.stranger.address, ethers.ZeroHash);
      await expect(f.paymaster.connect(f.admin).withdrawStake(ethers.ZeroAddress)).to.be.revertedWithCustomError(
        f.paymaster,
        "BrandPaymasterZeroAddress",
      );
      const withdrawal = f.paymaster.connect(f.admin).withdrawStake(f.treasury.address);
      await expect(withdrawal).to.emit(f.entryPoint, "StakeWithdrawn").withArgs(f.paymasterAddress, f.treasury.address, ONE_ETH);
      await expect(withdrawal).to.changeEtherBalance(f.treasury, ONE_ETH);
    });
  });
});
