import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expectBalancesFromTransfers, shouldBehaveLikeERC20 } from "./behaviors/erc20.behavior";
import { NOTICE_PERIOD, Scope, deployTokens } from "./fixtures/tokens";
import {
  DAY,
  EXPIRY_DAYS,
  datedExpiryOf,
  deployDatedPoints,
  deployInactivityPoints,
  deployPendingPoints,
  releaseOf,
} from "./fixtures/pointsLifecycle";

const ZERO = ethers.ZeroAddress;
const REASON = ethers.encodeBytes32String("visit");
const RECEIPT = ethers.keccak256(ethers.toUtf8Bytes("erc20-receipt-1"));
const METADATA = { name: "Punchcard Points", symbol: "PTS", decimals: 0n };

/** How points expire under a term set: when an earn expires, and the error of a transfer of 1 point after. */
interface ExpiryRule {
  expiresAt: (earnedAt: number) => number;
  error: "PointsBalanceExpired" | "PointsNotSpendable";
  args: (holder: string, expiresAt: number) => unknown[];
  /** Under inactivity, points reaching a member whose balance expired first burn the expired ones. */
  receiptBurnsExpired: boolean;
}

interface TermSet {
  title: string;
  deploy: () => ReturnType<typeof deployTokens>;
  pending: boolean;
  expiry?: ExpiryRule;
}

const TERM_SETS: TermSet[] = [
  { title: "plain: nothing pending, no expiry", deploy: deployTokens, pending: false },
  { title: "purchases pending 14 days", deploy: deployPendingPoints, pending: true },
  {
    title: "pending 14 days, expiry after 30 days of inactivity",
    deploy: deployInactivityPoints,
    pending: true,
    expiry: {
      expiresAt: (earnedAt) => earnedAt + EXPIRY_DAYS * DAY,
      error: "PointsBalanceExpired",
      args: (holder, expiresAt) => [holder, expiresAt],
      receiptBurnsExpired: true,
    },
  },
  {
    title: "pending 14 days, expiry in dated lots after 40 days",
    deploy: deployDatedPoints,
    pending: true,
    // datedExpiryOf dates the earn by its block's period, whatever the hour: no need to start at a period's start.
    expiry: {
      expiresAt: datedExpiryOf,
      error: "PointsNotSpendable",
      args: (holder) => [holder, 0n, 1n],
      receiptBurnsExpired: false,
    },
  },
];

describe("Points: a move of zero stops where any move stops", () => {
  it("at a pause, with transfers off (unless an operator moves it), and after the program's end", async () => {
    const { points, stamps, admin, pauser, members } = await loadFixture(deployTokens);
    const [ada, bo] = [members[0]!, members[1]!];
    await stamps.connect(pauser).pause(Scope.Points);
    await expect(points.connect(ada).transfer(bo.address, 0n)).to.be.revertedWithCustomError(points, "EnforcedPause");
    await stamps.connect(pauser).unpause();
    await points.connect(admin).setTransferable(false);
    await expect(points.connect(ada).transfer(bo.address, 0n))
      .to.be.revertedWithCustomError(points, "PointsNotTransferable")
      .withArgs(ada.address, bo.address);
    await points.connect(admin).setTransferable(true);
    const endsAt = BigInt(await time.latest()) + BigInt(NOTICE_PERIOD) + 1n;
    await stamps.connect(admin).announceEnd(endsAt);
    await time.increaseTo(endsAt);
    await expect(points.connect(ada).transfer(bo.address, 0n))
      .to.be.revertedWithCustomError(points, "PointsFrozen")
      .withArgs(endsAt);
  });
});

describe("Points as an ERC-20 under every lifecycle term set (#14)", () => {
  for (const { title, deploy, pending, expiry } of TERM_SETS) {
    describe(title, () => {
      shouldBehaveLikeERC20(async () => {
        const { points, minter, members } = await deploy();
        return { token: points, minter, accounts: [members[0]!, members[1]!, members[2]!] };
      }, METADATA);

      if (pending) {
        describe("pending purchases", () => {
          it("count in balanceOf and totalSupply at once, with a Transfer from zero", async () => {
            const { points, minter, members } = await loadFixture(deploy);
            const ada = members[0]!;
            await points.connect(minter).reward(ada.address, 50n, REASON);
            await expect(points.connect(minter).credit(ada.address, 300n, RECEIPT))
              .to.emit(points, "Transfer")
              .withArgs(ZERO, ada.address, 300n);
            expect(await points.balanceOf(ada.address)).to.equal(350n);
            expect(await points.totalSupply()).to.equal(350n);
            expect(await points.pendingOf(ada.address)).to.equal(300n);
            expect(await points.spendableOf(ada.address)).to.equal(50n);
            await expectBalancesFromTransfers(points);
          });

          it("cannot move until released (PointsNotSpendable, nothing changed), then move like any others", async () => {
            const { points, minter, members } = await loadFixture(deploy);
            const [ada, bo] = [members[0]!, members[1]!];
            await points.connect(minter).reward(ada.address, 50n, REASON);
            await points.connect(minter).credit(ada.address, 300n, RECEIPT);
            // releaseOf reads the credit's block: 00:00 UTC after the pending days, whatever the hour of the credit.
            const releaseAt = releaseOf(await time.latest());
            await points.connect(ada).approve(bo.address, 1000n);
            await expect(points.connect(ada).transfer(bo.address, 51n))
              .to.be.revertedWithCustomError(points, "PointsNotSpendable")
              .withArgs(ada.address, 50n, 51n);
            await time.setNextBlockTimestamp(releaseAt - 1); // the last pending second
            await expect(points.connect(bo).transferFrom(ada.address, bo.address, 51n))
              .to.be.revertedWithCustomError(points, "PointsNotSpendable")
              .withArgs(ada.address, 50n, 51n);
            expect(await points.balanceOf(ada.address)).to.equal(350n);
            expect(await points.balanceOf(bo.address)).to.equal(0n);
            expect(await points.allowance(ada.address, bo.address)).to.equal(1000n);

            await time.setNextBlockTimestamp(releaseAt);
            const tx = points.connect(bo).transferFrom(ada.address, bo.address, 350n);
            await expect(tx).to.emit(points, "Transfer").withArgs(ada.address, bo.address, 350n);
            await expect(tx).to.changeTokenBalances(points, [ada, bo], [-350n, 350n]);
            expect(await points.allowance(ada.address, bo.address)).to.equal(650n);
            await expectBalancesFromTransfers(points);
          });
        });
      }

      if (expiry) {
        describe("expiry", () => {
          it(`expired points stay in balanceOf until expire burns them; a transfer needing them reverts ${expiry.error}`, async () => {
            const { points, minter, stranger, members } = await loadFixture(deploy);
            const [ada, bo] = [members[0]!, members[1]!];
            await points.connect(minter).reward(ada.address, 100n, REASON);
            const expiresAt = expiry.expiresAt(await time.latest());
            await points.connect(ada).approve(bo.address, 100n);
            await time.increaseTo(expiresAt);
            expect(await points.balanceOf(ada.address)).to.equal(100n);
            expect(await points.totalSupply()).to.equal(100n);
            await expect(points.connect(ada).transfer(bo.address, 1n))
              .to.be.revertedWithCustomError(points, expiry.error)
              .withArgs(...expiry.args(ada.address, expiresAt));
            await expect(points.connect(bo).transferFrom(ada.address, bo.address, 1n))
              .to.be.revertedWithCustomError(points, expiry.error)
              .withArgs(...expiry.args(ada.address, expiresAt));
            expect(await points.allowance(ada.address, bo.address)).to.equal(100n);

            await expect(points.connect(stranger).expire(ada.address))
              .to.emit(points, "PointsExpired")
              .withArgs(ada.address, 100n)
              .and.to.emit(points, "Transfer")
              .withArgs(ada.address, ZERO, 100n);
            expect(await points.balanceOf(ada.address)).to.equal(0n);
            expect(await points.totalSupply()).to.equal(0n);
            await expectBalancesFromTransfers(points);
          });

          // EIP-20: "Transfers of 0 values MUST be treated as normal transfers and fire the Transfer event." From or to
          // a holder whose points expired, it moves nothing and is no activity: it revives nothing and burns nothing.
          it("a zero-value transfer from or to a holder whose points expired is a normal transfer, and revives nothing", async () => {
            const { points, minter, stranger, members } = await loadFixture(deploy);
            const [ada, bo] = [members[0]!, members[1]!];
            await points.connect(minter).reward(ada.address, 100n, REASON);
            const expiresAt = expiry.expiresAt(await time.latest());
            await time.increaseTo(expiresAt);
            const from = points.connect(ada).transfer(bo.address, 0n);
            await expect(from).to.emit(points, "Transfer").withArgs(ada.address, bo.address, 0n);
            await expect(from).to.changeTokenBalances(points, [ada, bo], [0n, 0n]);
            const to = points.connect(bo).transfer(ada.address, 0n);
            await expect(to).to.emit(points, "Transfer").withArgs(bo.address, ada.address, 0n);
            await expect(to).not.to.emit(points, "PointsExpired");
            expect(await points.spendableOf(ada.address)).to.equal(0n);
            // Neither move swept, stamped nor dated anything: the points expired when they did, and are still there.
            expect(await points.expiringBy(ada.address, await time.latest())).to.deep.equal([100n, BigInt(expiresAt)]);
            await expect(points.connect(stranger).expire(ada.address))
              .to.emit(points, "PointsExpired")
              .withArgs(ada.address, 100n);
            await expect(points.connect(ada).transfer(bo.address, 0n))
              .to.emit(points, "Transfer")
              .withArgs(ada.address, bo.address, 0n);
            await expectBalancesFromTransfers(points);
          });

          it("a move of zero to or from a live holder keeps nothing alive: their points expire when they would have", async () => {
            const { points, minter, stranger, members } = await loadFixture(deploy);
            const [ada, bo] = [members[0]!, members[1]!];
            await points.connect(minter).reward(ada.address, 100n, REASON);
            const expiresAt = BigInt(expiry.expiresAt(await time.latest()));
            await points.connect(minter).reward(bo.address, 5n, REASON);
            await time.increase(10 * DAY);
            await points.connect(bo).transfer(ada.address, 0n);
            // No allowance is needed to move nothing (OZ's transferFrom), so a stranger could do it for anyone.
            await expect(points.connect(stranger).transferFrom(ada.address, bo.address, 0n))
              .to.emit(points, "Transfer")
              .withArgs(ada.address, bo.address, 0n);
            const horizon = BigInt(await time.latest()) + 365n * BigInt(DAY);
            expect(await points.expiringBy(ada.address, horizon)).to.deep.equal([100n, expiresAt]);
          });

          if (expiry.receiptBurnsExpired) {
            it("points received after expiry first burn the expired ones: each balance change is a Transfer", async () => {
              const { points, minter, members } = await loadFixture(deploy);
              const [ada, bo] = [members[0]!, members[1]!];
              await points.connect(minter).reward(ada.address, 100n, REASON);
              await time.increaseTo(expiry.expiresAt(await time.latest()));
              await points.connect(minter).reward(bo.address, 10n, REASON);
              const tx = points.connect(bo).transfer(ada.address, 10n);
              await expect(tx)
                .to.emit(points, "PointsExpired")
                .withArgs(ada.address, 100n)
                .and.to.emit(points, "Transfer")
                .withArgs(ada.address, ZERO, 100n)
                .and.to.emit(points, "Transfer")
                .withArgs(bo.address, ada.address, 10n);
              await expect(tx).to.changeTokenBalances(points, [ada, bo], [-90n, -10n]);
              await expectBalancesFromTransfers(points);
            });
          }
        });
      }
    });
  }
});
