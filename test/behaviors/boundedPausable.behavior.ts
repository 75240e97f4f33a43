import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { Signer, ContractTransactionResponse } from "ethers";

/** What the suite needs of a contract that pauses with a bound (Stamps, Points, Market). */
export interface BoundedPausableSubject {
  contract: {
    pause(): Promise<ContractTransactionResponse>;
    unpause(): Promise<ContractTransactionResponse>;
    paused(): Promise<boolean>;
    pausedUntil(): Promise<bigint>;
    maxPauseDuration(): Promise<bigint>;
    connect(signer: Signer): BoundedPausableSubject["contract"];
  } & Parameters<typeof expect>[0];
  pauser: Signer;
  /** A call the pause stops (a mint, a transfer, a fill); called anew each time. */
  stopped: () => Promise<ContractTransactionResponse>;
  /** A call the pause never stops (a burn, a redemption, a withdrawal); resolves when it ran past the pause check. */
  unstopped: () => Promise<unknown>;
}

/**
 * The shared behaviour of every pausable contract of a program: a pause lasts at most the bound fixed at deployment,
 * lifts by itself, and cannot be chained into a shutdown (a new pause waits one bound after the last ended).
 */
export function shouldBehaveLikeBoundedPausable(subject: () => Promise<BoundedPausableSubject>, bound: bigint): void {
  describe("bounded pause", () => {
    // loadFixture keys snapshots by function, and refuses anonymous ones: one named function per suite.
    const fixture = async function boundedPausableSubject() {
      return subject();
    };
    it("pauses for at most the bound, stops what it must and nothing else, then lifts by itself", async () => {
      const { contract, pauser, stopped, unstopped } = await loadFixture(fixture);
      expect(await contract.maxPauseDuration()).to.equal(bound);
      await expect(contract.connect(pauser).pause())
        .to.emit(contract, "Paused")
        .withArgs(await pauser.getAddress());
      const pausedAt = BigInt(await time.latest());
      expect(await contract.paused()).to.equal(true);
      expect(await contract.pausedUntil()).to.equal(pausedAt + bound);
      await expect(stopped()).to.be.revertedWithCustomError(contract, "EnforcedPause");
      await unstopped();
      await expect(contract.connect(pauser).pause()).to.be.revertedWithCustomError(contract, "EnforcedPause");

      // The next transaction is mined one second after the block time.increaseTo makes: the pause's last second.
      await time.increaseTo(pausedAt + bound - 2n);
      await expect(stopped()).to.be.revertedWithCustomError(contract, "EnforcedPause");
      await time.increaseTo(pausedAt + bound);
      expect(await contract.paused()).to.equal(false);
      await expect(stopped()).not.to.be.reverted;
      // Nothing to lift: it ran out.
      await expect(contract.connect(pauser).unpause()).to.be.revertedWithCustomError(contract, "ExpectedPause");
    });

    it("cannot be chained: a new pause waits one bound after the last one ended", async () => {
      const { contract, pauser } = await loadFixture(fixture);
      await contract.connect(pauser).pause();
      const endedAt = (await contract.pausedUntil()) as bigint;
      await time.increaseTo(endedAt);
      await expect(contract.connect(pauser).pause())
        .to.be.revertedWithCustomError(contract, "PauseCoolingDown")
        .withArgs(endedAt + bound);
      await time.increaseTo(endedAt + bound);
      await expect(contract.connect(pauser).pause()).to.emit(contract, "Paused");
    });

    it("unpauses early, and the cool-down counts from the unpause", async () => {
      const { contract, pauser, stopped } = await loadFixture(fixture);
      await contract.connect(pauser).pause();
      await time.increase(60);
      await expect(contract.connect(pauser).unpause())
        .to.emit(contract, "Unpaused")
        .withArgs(await pauser.getAddress());
      const liftedAt = BigInt(await time.latest());
      expect(await contract.paused()).to.equal(false);
      expect(await contract.pausedUntil()).to.equal(liftedAt);
      await expect(stopped()).not.to.be.reverted;
      await expect(contract.connect(pauser).pause())
        .to.be.revertedWithCustomError(contract, "PauseCoolingDown")
        .withArgs(liftedAt + bound);
    });
  });
}
