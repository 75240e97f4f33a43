import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { BaseContract, Signer, ContractTransactionResponse } from "ethers";
import type { Stamps } from "../../typechain-types";

/** What the suite needs of one scope of the program's pause (stamps, points or the market). */
export interface BoundedPausableSubject {
  /** The program's lifecycle (its Stamps), which keeps the one pause. */
  lifecycle: Stamps;
  /** The contract whose calls the scope stops (it reverts with `EnforcedPause`). */
  contract: BaseContract;
  /** The scope's bit (Scope.Stamps, Scope.Points, Scope.Market). */
  scope: bigint;
  /** Scopes whose pause never stops `stopped` (the suite pauses them and expects it to run). */
  independentOf: bigint;
  pauser: Signer;
  /** A call the pause stops (a mint, a transfer, a fill); called anew each time. */
  stopped: () => Promise<ContractTransactionResponse>;
  /** A call the pause never stops (a burn, a redemption, a withdrawal); resolves when it ran past the pause check. */
  unstopped: () => Promise<unknown>;
}

/**
 * The shared behaviour of every scope of a program's pause: a pause lasts at most the bound fixed at deployment,
 * lifts by itself, stops its scope and nothing else, and cannot be chained into a shutdown, whichever scopes the
 * pauses name (a new pause waits one bound after the last ended).
 */
export function shouldBehaveLikeBoundedPausable(subject: () => Promise<BoundedPausableSubject>, bound: bigint): void {
  describe("bounded pause", () => {
    // loadFixture keys snapshots by function, and refuses anonymous ones: one named function per suite.
    const fixture = async function boundedPausableSubject() {
      return subject();
    };
    it("pauses for at most the bound, stops what it must and nothing else, then lifts by itself", async () => {
      const { lifecycle, contract, scope, pauser, stopped, unstopped } = await loadFixture(fixture);
      expect(await lifecycle.maxPauseDuration()).to.equal(bound);
      const pausing = await lifecycle.connect(pauser).pause(scope);
      const pausedAt = BigInt(await time.latest());
      await expect(pausing)
        .to.emit(lifecycle, "Paused")
        .withArgs(await pauser.getAddress(), scope, pausedAt + bound);
      expect(await lifecycle.isPaused(scope)).to.equal(true);
      expect(await lifecycle.pausedScopes()).to.equal(scope);
      expect(await lifecycle.pausedUntil()).to.equal(pausedAt + bound);
      await expect(stopped()).to.be.revertedWithCustomError(contract, "EnforcedPause");
      await unstopped();
      // Asking again for what is paused already changes nothing, least of all the deadline.
      await expect(lifecycle.connect(pauser).pause(scope)).to.be.revertedWithCustomError(lifecycle, "EnforcedPause");

      // The next transaction is mined one second after the block time.increaseTo makes: the pause's last second.
      await time.increaseTo(pausedAt + bound - 2n);
      await expect(stopped()).to.be.revertedWithCustomError(contract, "EnforcedPause");
      await time.increaseTo(pausedAt + bound);
      expect(await lifecycle.isPaused(scope)).to.equal(false);
      expect(await lifecycle.pausedScopes()).to.equal(0n);
      await expect(stopped()).not.to.be.reverted;
      // Nothing to lift: it ran out.
      await expect(lifecycle.connect(pauser).unpause()).to.be.revertedWithCustomError(lifecycle, "ExpectedPause");
    });

    it("a pause of the other scopes leaves it running; widening to it keeps the deadline", async () => {
      const { lifecycle, contract, scope, independentOf, pauser, stopped } = await loadFixture(fixture);
      await lifecycle.connect(pauser).pause(independentOf);
      const deadline = await lifecycle.pausedUntil();
      await expect(stopped()).not.to.be.reverted;
      await time.increase(60);
      await expect(lifecycle.connect(pauser).pause(scope))
        .to.emit(lifecycle, "Paused")
        .withArgs(await pauser.getAddress(), independentOf | scope, deadline);
      expect(await lifecycle.pausedUntil()).to.equal(deadline);
      await expect(stopped()).to.be.revertedWithCustomError(contract, "EnforcedPause");
      await time.increaseTo(deadline);
      expect(await lifecycle.pausedScopes()).to.equal(0n);
    });

    it("cannot be chained: a new pause waits one bound after the last one ended, whatever scope it stopped", async () => {
      const { lifecycle, scope, independentOf, pauser } = await loadFixture(fixture);
      await lifecycle.connect(pauser).pause(independentOf);
      const endedAt = await lifecycle.pausedUntil();
      await time.increaseTo(endedAt);
      await expect(lifecycle.connect(pauser).pause(scope))
        .to.be.revertedWithCustomError(lifecycle, "PauseCoolingDown")
        .withArgs(endedAt + bound);
      await time.increaseTo(endedAt + bound);
      await expect(lifecycle.connect(pauser).pause(scope)).to.emit(lifecycle, "Paused");
    });

    it("unpauses early, and the cool-down counts from the unpause", async () => {
      const { lifecycle, scope, pauser, stopped } = await loadFixture(fixture);
      await lifecycle.connect(pauser).pause(scope);
      await time.increase(60);
      await expect(lifecycle.connect(pauser).unpause())
        .to.emit(lifecycle, "Unpaused")
        .withArgs(await pauser.getAddress());
      const liftedAt = BigInt(await time.latest());
      expect(await lifecycle.isPaused(scope)).to.equal(false);
      expect(await lifecycle.pausedUntil()).to.equal(liftedAt);
      await expect(stopped()).not.to.be.reverted;
      await expect(lifecycle.connect(pauser).pause(scope))
        .to.be.revertedWithCustomError(lifecycle, "PauseCoolingDown")
        .withArgs(liftedAt + bound);
    });
  });
}
