import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { shouldBehaveLikeBoundedPausable } from "./behaviors/boundedPausable.behavior";
import { MAX_PAUSE, NO_TERMS, Scope, deployTokens } from "./fixtures/tokens";

const ZERO = ethers.ZeroAddress;
const reason = ethers.encodeBytes32String("welcome-bonus");
const receipt = (n: number) => ethers.keccak256(ethers.toUtf8Bytes(`shop-receipt-${n}`));

describe("Points", () => {
  describe("deployment", () => {
    it("is whole-number, transferable and empty by default", async () => {
      const { points, admin } = await loadFixture(deployTokens);
      expect(await points.name()).to.equal("Punchcard Points");
      expect(await points.symbol()).to.equal("PTS");
      expect(await points.decimals()).to.equal(0n);
      expect(await points.transferable()).to.equal(true);
      expect(await points.totalSupply()).to.equal(0n);
      expect(await points.defaultAdmin()).to.equal(admin.address);
    });

    it("takes its decimals and transferability from the program config, and says so in an event", async () => {
      const { stamps, admin } = await loadFixture(deployTokens);
      const factory = await ethers.getContractFactory("Points");
      const points = await factory.deploy("Miles", "MI", 2, false, admin.address, 0, await stamps.getAddress(), NO_TERMS);
      await expect(points.deploymentTransaction()).to.emit(points, "PointsTransferabilityChanged").withArgs(false);
      expect(await points.decimals()).to.equal(2n);
      expect(await points.transferable()).to.equal(false);
    });
  });

  describe("reward", () => {
    it("mints to the member with the reason in the event", async () => {
      const { points, minter, members } = await loadFixture(deployTokens);
      const member = members[0]!;
      await expect(points.connect(minter).reward(member.address, 120, reason))
        .to.emit(points, "PointsRewarded")
        .withArgs(member.address, 120, reason)
        .and.to.emit(points, "Transfer")
        .withArgs(ZERO, member.address, 120);
      expect(await points.balanceOf(member.address)).to.equal(120n);
      expect(await points.totalSupply()).to.equal(120n);
    });

    it("refuses a zero amount and the zero address", async () => {
      const { points, minter, members } = await loadFixture(deployTokens);
      await expect(points.connect(minter).reward(members[0]!.address, 0, reason)).to.be.revertedWithCustomError(
        points,
        "PointsZeroAmount",
      );
      await expect(points.connect(minter).reward(ZERO, 1, reason))
        .to.be.revertedWithCustomError(points, "ERC20InvalidReceiver")
        .withArgs(ZERO);
    });

    it("is refused while paused", async () => {
      const { stamps, points, minter, pauser, members } = await loadFixture(deployTokens);
      await stamps.connect(pauser).pause(Scope.Points);
      await expect(points.connect(minter).reward(members[0]!.address, 1, reason)).to.be.revertedWithCustomError(
        points,
        "EnforcedPause",
      );
    });
  });

  describe("rewardBatch", () => {
    it("rewards every member its own amount, one event each", async () => {
      const { points, minter, members } = await loadFixture(deployTokens);
      const to = members.slice(0, 4).map((m) => m.address);
      const amounts = [10n, 20n, 30n, 40n];
      const tx = points.connect(minter).rewardBatch(to, amounts, reason);
      for (const [i, address] of to.entries()) {
        await expect(tx).to.emit(points, "PointsRewarded").withArgs(address, amounts[i], reason);
      }
      for (const [i, address] of to.entries()) expect(await points.balanceOf(address)).to.equal(amounts[i]);
      expect(await points.totalSupply()).to.equal(100n);
    });

    it("adds up when a member appears twice", async () => {
      const { points, minter, members } = await loadFixture(deployTokens);
      const a = members[0]!.address;
      await points.connect(minter).rewardBatch([a, a], [5, 7], reason);
      expect(await points.balanceOf(a)).to.equal(12n);
    });

    it("refuses empty, oversized and mismatched batches, and a zero amount inside", async () => {
      const { points, minter, members } = await loadFixture(deployTokens);
      const max = await points.MAX_BATCH();
      const a = members[0]!.address;
      await expect(points.connect(minter).rewardBatch([], [], reason))
        .to.be.revertedWithCustomError(points, "PointsInvalidBatchLength")
        .withArgs(0n, max);
      const many = Array.from({ length: Number(max) + 1 }, () => a);
      await expect(
        points.connect(minter).rewardBatch(
          many,
          many.map(() => 1n),
          reason,
        ),
      )
        .to.be.revertedWithCustomError(points, "PointsInvalidBatchLength")
        .withArgs(max + 1n, max);
      await expect(points.connect(minter).rewardBatch([a, a], [1], reason))
        .to.be.revertedWithCustomError(points, "PointsBatchLengthMismatch")
        .withArgs(2n, 1n);
      await expect(points.connect(minter).rewardBatch([a, a], [1, 0], reason)).to.be.revertedWithCustomError(
        points,
        "PointsZeroAmount",
      );
      expect(await points.totalSupply()).to.equal(0n);
    });

    it("is refused while paused", async () => {
      const { stamps, points, minter, pauser, members } = await loadFixture(deployTokens);
      await stamps.connect(pauser).pause(Scope.Points);
      await expect(points.connect(minter).rewardBatch([members[0]!.address], [1], reason)).to.be.revertedWithCustomError(
        points,
        "EnforcedPause",
      );
    });
  });

  describe("credit", () => {
    it("credits bought points once per receipt", async () => {
      const { points, minter, members } = await loadFixture(deployTokens);
      const member = members[0]!;
      expect(await points.isCredited(receipt(1))).to.equal(false);
      await expect(points.connect(minter).credit(member.address, 500, receipt(1)))
        .to.emit(points, "PointsCredited")
        .withArgs(member.address, 500, receipt(1));
      expect(await points.isCredited(receipt(1))).to.equal(true);
      expect(await points.balanceOf(member.address)).to.equal(500n);

      await expect(points.connect(minter).credit(member.address, 500, receipt(1)))
        .to.be.revertedWithCustomError(points, "PointsReceiptAlreadyCredited")
        .withArgs(receipt(1));
      // Not even to another member or for another amount.
      await expect(points.connect(minter).credit(members[1]!.address, 1, receipt(1)))
        .to.be.revertedWithCustomError(points, "PointsReceiptAlreadyCredited")
        .withArgs(receipt(1));
      expect(await points.totalSupply()).to.equal(500n);
    });

    it("refuses a zero receipt id and a zero amount, without burning the receipt", async () => {
      const { points, minter, members } = await loadFixture(deployTokens);
      const a = members[0]!.address;
      await expect(points.connect(minter).credit(a, 1, ethers.ZeroHash))
        .to.be.revertedWithCustomError(points, "PointsInvalidReceipt")
        .withArgs(ethers.ZeroHash);
      await expect(points.connect(minter).credit(a, 0, receipt(2))).to.be.revertedWithCustomError(points, "PointsZeroAmount");
      expect(await points.isCredited(receipt(2))).to.equal(false);
      await expect(points.connect(minter).credit(ZERO, 1, receipt(2)))
        .to.be.revertedWithCustomError(points, "ERC20InvalidReceiver")
        .withArgs(ZERO);
      expect(await points.isCredited(receipt(2))).to.equal(false);
    });

    it("is refused while paused", async () => {
      const { stamps, points, minter, pauser, members } = await loadFixture(deployTokens);
      await stamps.connect(pauser).pause(Scope.Points);
      await expect(points.connect(minter).credit(members[0]!.address, 1, receipt(3))).to.be.revertedWithCustomError(
        points,
        "EnforcedPause",
      );
    });
  });

  describe("status points", () => {
    it("every point rewarded, alone or in a batch, is also a status point; bought points are not", async () => {
      const { points, minter, members } = await loadFixture(deployTokens);
      const [ada, bo] = [members[0]!.address, members[1]!.address];
      await points.connect(minter).reward(ada, 30, reason);
      await points.connect(minter).rewardBatch([ada, bo, ada], [5, 7, 10], reason);
      await points.connect(minter).credit(ada, 1_000, receipt(1));
      expect(await points.statusOf(ada)).to.equal(45n);
      expect(await points.statusOf(bo)).to.equal(7n);
      expect(await points.balanceOf(ada)).to.equal(1_045n);
      expect(await points.totalSupply()).to.equal(1_052n);
    });

    it("are never spent nor moved: a redemption and a transfer change balances only", async () => {
      const { points, minter, members } = await loadFixture(deployTokens);
      const [ada, bo] = [members[0]!, members[1]!];
      await points.connect(minter).reward(ada.address, 100, reason);
      await points.connect(ada).transfer(bo.address, 60);
      await points.connect(ada).redeem(40, reason);
      expect(await points.balanceOf(ada.address)).to.equal(0n);
      expect(await points.balanceOf(bo.address)).to.equal(60n);
      expect(await points.statusOf(ada.address)).to.equal(100n);
      expect(await points.statusOf(bo.address)).to.equal(0n);
      expect(await points.totalSupply()).to.equal(60n);
    });

    it("refuses a mint above MAX_SUPPLY, and status points above MAX_STATUS even once the balance was spent", async () => {
      const { points, minter, members } = await loadFixture(deployTokens);
      const max = await points.MAX_SUPPLY();
      const maxStatus = await points.MAX_STATUS();
      expect(max).to.equal(2n ** 128n - 1n);
      expect(maxStatus).to.equal(2n ** 96n - 1n);
      const [ada, bo] = [members[0]!, members[1]!];
      await points.connect(minter).credit(bo.address, max - maxStatus, receipt(2));
      await points.connect(minter).reward(ada.address, maxStatus, reason);
      expect(await points.totalSupply()).to.equal(max);
      await expect(points.connect(minter).credit(members[2]!.address, 1, receipt(1)))
        .to.be.revertedWithCustomError(points, "PointsAboveMax")
        .withArgs(max + 1n, max);
      await points.connect(ada).redeem(maxStatus, reason);
      await expect(points.connect(minter).reward(ada.address, 1, reason))
        .to.be.revertedWithCustomError(points, "PointsAboveMax")
        .withArgs(maxStatus + 1n, maxStatus);
      expect(await points.statusOf(ada.address)).to.equal(maxStatus);
    });
  });

  describe("redeem", () => {
    it("burns the member's points with the reward id in the event", async () => {
      const { points, minter, members } = await loadFixture(deployTokens);
      const member = members[0]!;
      const rewardId = ethers.encodeBytes32String("free-coffee");
      await points.connect(minter).reward(member.address, 100, reason);
      await expect(points.connect(member).redeem(30, rewardId))
        .to.emit(points, "PointsRedeemed")
        .withArgs(member.address, 30, rewardId)
        .and.to.emit(points, "Transfer")
        .withArgs(member.address, ZERO, 30);
      expect(await points.balanceOf(member.address)).to.equal(70n);
      expect(await points.totalSupply()).to.equal(70n);
    });

    it("refuses more than the balance and a zero amount", async () => {
      const { points, minter, members } = await loadFixture(deployTokens);
      const member = members[0]!;
      await points.connect(minter).reward(member.address, 10, reason);
      await expect(points.connect(member).redeem(11, reason))
        .to.be.revertedWithCustomError(points, "ERC20InsufficientBalance")
        .withArgs(member.address, 10, 11);
      await expect(points.connect(member).redeem(0, reason)).to.be.revertedWithCustomError(points, "PointsZeroAmount");
    });

    it("works while transfers are off, and while paused (members can always spend what they hold)", async () => {
      const { stamps, points, admin, minter, pauser, members } = await loadFixture(deployTokens);
      const member = members[0]!;
      await points.connect(minter).reward(member.address, 10, reason);
      await points.connect(admin).setTransferable(false);
      await points.connect(member).redeem(4, reason);
      await stamps.connect(pauser).pause(Scope.Points);
      await expect(points.connect(member).redeem(1, reason)).to.emit(points, "PointsRedeemed");
      expect(await points.balanceOf(member.address)).to.equal(5n);
    });
  });

  describe("transferability", () => {
    it("when off, members cannot move points but an approved operator can", async () => {
      const { points, admin, minter, members } = await loadFixture(deployTokens);
      const [alice, bob, market, stranger] = members;
      await points.connect(minter).reward(alice!.address, 100, reason);
      await expect(points.connect(admin).setTransferable(false)).to.emit(points, "PointsTransferabilityChanged").withArgs(false);

      await expect(points.connect(alice!).transfer(bob!.address, 1))
        .to.be.revertedWithCustomError(points, "PointsNotTransferable")
        .withArgs(alice!.address, bob!.address);
      await points.connect(alice!).approve(stranger!.address, 50);
      await points.connect(alice!).approve(market!.address, 50);
      await expect(points.connect(stranger!).transferFrom(alice!.address, bob!.address, 1))
        .to.be.revertedWithCustomError(points, "PointsNotTransferable")
        .withArgs(alice!.address, bob!.address);

      await expect(points.connect(admin).setOperator(market!.address, true))
        .to.emit(points, "PointsOperatorChanged")
        .withArgs(market!.address, true);
      expect(await points.isOperator(market!.address)).to.equal(true);
      await points.connect(market!).transferFrom(alice!.address, bob!.address, 20);
      expect(await points.balanceOf(bob!.address)).to.equal(20n);
      // The operator still needs the holder's allowance.
      await expect(points.connect(market!).transferFrom(alice!.address, bob!.address, 31))
        .to.be.revertedWithCustomError(points, "ERC20InsufficientAllowance")
        .withArgs(market!.address, 30, 31);

      await points.connect(admin).setTransferable(true);
      await points.connect(alice!).transfer(bob!.address, 5);
      expect(await points.balanceOf(bob!.address)).to.equal(25n);
    });

    it("refuses the zero address as operator", async () => {
      const { points, admin } = await loadFixture(deployTokens);
      await expect(points.connect(admin).setOperator(ZERO, true))
        .to.be.revertedWithCustomError(points, "PointsInvalidOperator")
        .withArgs(ZERO);
    });

    it("pause stops transfers; unpause resumes them", async () => {
      const { stamps, points, minter, pauser, members } = await loadFixture(deployTokens);
      const [alice, bob] = members;
      await points.connect(minter).reward(alice!.address, 10, reason);
      await expect(stamps.connect(pauser).pause(Scope.Points))
        .to.emit(stamps, "Paused")
        .withArgs(pauser.address, Scope.Points, anyValue);
      await expect(points.connect(alice!).transfer(bob!.address, 1)).to.be.revertedWithCustomError(points, "EnforcedPause");
      await expect(stamps.connect(pauser).unpause()).to.emit(stamps, "Unpaused").withArgs(pauser.address);
      await points.connect(alice!).transfer(bob!.address, 1);
      expect(await points.balanceOf(bob!.address)).to.equal(1n);
    });
  });

  describe("permit (EIP-2612)", () => {
    async function signPermit(
      points: Awaited<ReturnType<typeof deployTokens>>["points"],
      owner: Awaited<ReturnType<typeof deployTokens>>["members"][number],
      spender: string,
      value: bigint,
      deadline: bigint,
      chainId?: bigint,
    ) {
      const network = await ethers.provider.getNetwork();
      const domain = {
        name: await points.name(),
        version: "1",
        chainId: chainId ?? network.chainId,
        verifyingContract: await points.getAddress(),
      };
      const types = {
        Permit: [
          { name: "owner", type: "address" },
          { name: "spender", type: "address" },
          { name: "value", type: "uint256" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
      };
      const nonce = await points.nonces(owner.address);
      const sig = ethers.Signature.from(
        await owner.signTypedData(domain, types, { owner: owner.address, spender, value, nonce, deadline }),
      );
      return sig;
    }

    it("sets an allowance from a signature, once", async () => {
      const { points, members, stranger } = await loadFixture(deployTokens);
      const owner = members[0]!;
      const deadline = BigInt(await time.latest()) + 3600n;
      const sig = await signPermit(points, owner, stranger.address, 42n, deadline);
      await points.connect(stranger).permit(owner.address, stranger.address, 42, deadline, sig.v, sig.r, sig.s);
      expect(await points.allowance(owner.address, stranger.address)).to.equal(42n);
      expect(await points.nonces(owner.address)).to.equal(1n);
      await expect(
        points.connect(stranger).permit(owner.address, stranger.address, 42, deadline, sig.v, sig.r, sig.s),
      ).to.be.revertedWithCustomError(points, "ERC2612InvalidSigner");
    });

    it("refuses an expired permit and one signed for another chain", async () => {
      const { points, members, stranger } = await loadFixture(deployTokens);
      const owner = members[0]!;
      const past = BigInt(await time.latest()) - 1n;
      const expired = await signPermit(points, owner, stranger.address, 1n, past);
      await expect(points.permit(owner.address, stranger.address, 1, past, expired.v, expired.r, expired.s))
        .to.be.revertedWithCustomError(points, "ERC2612ExpiredSignature")
        .withArgs(past);
      const deadline = past + 3600n;
      const otherChain = await signPermit(points, owner, stranger.address, 1n, deadline, 1n);
      await expect(
        points.permit(owner.address, stranger.address, 1, deadline, otherChain.v, otherChain.r, otherChain.s),
      ).to.be.revertedWithCustomError(points, "ERC2612InvalidSigner");
    });
  });

  shouldBehaveLikeBoundedPausable(async () => {
    const { stamps, points, minter, pauser, members } = await deployTokens();
    const holder = members[0]!;
    await points.connect(minter).reward(holder.address, 10n, ethers.ZeroHash);
    return {
      lifecycle: stamps,
      contract: points,
      scope: Scope.Points,
      independentOf: Scope.Stamps | Scope.Market,
      pauser,
      stopped: () => points.connect(holder).transfer(members[1]!.address, 1n),
      // Redemptions are burns: a pause never stops them.
      unstopped: () => points.connect(holder).redeem(1n, ethers.ZeroHash),
    };
  }, BigInt(MAX_PAUSE));
});
