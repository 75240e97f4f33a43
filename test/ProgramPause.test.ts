import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployMarketFixture } from "./fixtures/market";
import { MAX_PAUSE, Scope } from "./fixtures/tokens";
import { buildListing, marketDomain, signListing } from "./helpers/marketOrders";

const DAY = 24n * 60n * 60n;
const BOUND = BigInt(MAX_PAUSE);
const BOUND_DAYS = Number(BOUND / DAY);
const SCOPES = [Scope.Stamps, Scope.Points, Scope.Market] as const;
const NAMES: Record<string, string> = {
  [`${Scope.Stamps}`]: "Stamps",
  [`${Scope.Points}`]: "Points",
  [`${Scope.Market}`]: "Market",
};

/** Every ordering of `items`. */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/** The longest run of `true` in `days`. */
function longestRun(days: boolean[]): number {
  let longest = 0;
  let run = 0;
  for (const shut of days) {
    run = shut ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

/** The most `true` days in any window of `width` days. */
function mostInWindow(days: boolean[], width: number): number {
  let most = 0;
  for (let start = 0; start + width <= days.length; ++start) {
    most = Math.max(most, days.slice(start, start + width).filter(Boolean).length);
  }
  return most;
}

/**
 * A program with a stamp listed for coin and one listed for points (both signed to stay valid for the whole
 * sequence), and the probes of the paths a pause must never shut for long: a fill in coin, a fill in points, a
 * redemption of points and a burn of a stamp. Each probe is a static call, so nothing moves between probes.
 */
async function pausableProgram() {
  const f = await deployMarketFixture();
  const { market, stamps, points, alice, bob, tokens } = f;
  const domain = await marketDomain(market);
  const expiry = BigInt(await time.latest()) + 365n * DAY;
  const inCoin = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, { expiry });
  const inPoints = await buildListing(market, stamps, alice.address, tokens.aliceRare, {
    expiry,
    currency: await points.getAddress(),
    price: 1_000n,
  });
  const coinSignature = await signListing(alice, domain, inCoin);
  const pointsSignature = await signListing(alice, domain, inPoints);
  const ok = (call: Promise<unknown>) =>
    call.then(
      () => true,
      () => false,
    );
  const probes = {
    fillInCoin: () => ok(market.connect(bob).buy.staticCall(inCoin, coinSignature, ethers.ZeroAddress, { value: inCoin.price })),
    fillInPoints: () => ok(market.connect(bob).buy.staticCall(inPoints, pointsSignature, ethers.ZeroAddress)),
    redemption: () => ok(points.connect(bob).redeem.staticCall(1n, ethers.ZeroHash)),
    burn: () => ok(stamps.connect(bob).burn.staticCall(tokens.bobCoffee)),
  };
  return { ...f, probes };
}

describe("the program's one pause budget (issue 25, item 1)", () => {
  it("refuses the staggered sequence: Stamps, then the Market when it lifts, then Stamps again", async () => {
    const { stamps, pauser, probes } = await loadFixture(pausableProgram);
    await stamps.connect(pauser).pause(Scope.Stamps);
    const lifted = await stamps.pausedUntil();
    expect(await probes.fillInCoin()).to.equal(false);
    await time.increaseTo(lifted);
    // The Market's pause used to start here, on its own clock, and Stamps' again when the Market's lifted.
    await expect(stamps.connect(pauser).pause(Scope.Market))
      .to.be.revertedWithCustomError(stamps, "PauseCoolingDown")
      .withArgs(lifted + BOUND);
    expect(await probes.fillInCoin()).to.equal(true);
    await time.increaseTo(lifted + BOUND - 2n);
    await expect(stamps.connect(pauser).pause(Scope.Stamps))
      .to.be.revertedWithCustomError(stamps, "PauseCoolingDown")
      .withArgs(lifted + BOUND);
    await time.increaseTo(lifted + BOUND);
    await expect(stamps.connect(pauser).pause(Scope.Market)).to.emit(stamps, "Paused");
  });

  it("widening a running pause to another contract keeps its deadline, so the stop does not grow", async () => {
    const { stamps, pauser, probes } = await loadFixture(pausableProgram);
    await stamps.connect(pauser).pause(Scope.Stamps);
    const deadline = await stamps.pausedUntil();
    await time.increase(BOUND - DAY);
    await expect(stamps.connect(pauser).pause(Scope.Market | Scope.Points))
      .to.emit(stamps, "Paused")
      .withArgs(pauser.address, Scope.All, deadline);
    expect(await stamps.pausedScopes()).to.equal(Scope.All);
    expect(await probes.fillInPoints()).to.equal(false);
    await time.increaseTo(deadline);
    expect(await stamps.pausedScopes()).to.equal(0n);
    expect(await probes.fillInCoin()).to.equal(true);
    expect(await probes.fillInPoints()).to.equal(true);
  });

  it("refuses empty or unknown scopes, and a stranger", async () => {
    const { stamps, pauser, alice } = await loadFixture(pausableProgram);
    for (const scopes of [0n, 8n, Scope.All + 1n, 2n ** 255n]) {
      await expect(stamps.connect(pauser).pause(scopes))
        .to.be.revertedWithCustomError(stamps, "PauseInvalidScopes")
        .withArgs(scopes, Scope.All);
    }
    await expect(stamps.connect(alice).pause(Scope.Market))
      .to.be.revertedWithCustomError(stamps, "AccessControlUnauthorizedAccount")
      .withArgs(alice.address, await stamps.PAUSER_ROLE());
    expect(await stamps.PAUSE_STAMPS()).to.equal(Scope.Stamps);
    expect(await stamps.PAUSE_POINTS()).to.equal(Scope.Points);
    expect(await stamps.PAUSE_MARKET()).to.equal(Scope.Market);
    expect(await stamps.PAUSE_ALL()).to.equal(Scope.All);
  });

  it("each scope stops its own paths and nothing else; burns and redemptions never stop", async () => {
    const expected = {
      [`${Scope.Stamps}`]: { fillInCoin: false, fillInPoints: false },
      [`${Scope.Points}`]: { fillInCoin: true, fillInPoints: false },
      [`${Scope.Market}`]: { fillInCoin: false, fillInPoints: false },
    };
    for (const scope of SCOPES) {
      const { stamps, pauser, probes } = await loadFixture(pausableProgram);
      await stamps.connect(pauser).pause(scope);
      expect(
        {
          fillInCoin: await probes.fillInCoin(),
          fillInPoints: await probes.fillInPoints(),
          redemption: await probes.redemption(),
          burn: await probes.burn(),
        },
        `scope ${scope}`,
      ).to.deep.equal({ ...expected[`${scope}`], redemption: true, burn: true });
    }
  });

  // The pauser tries, day after day, to pause the next contract of an ordering as soon as the contract allows it
  // (a new pause, or widening the one running), starting at an offset and waiting `gap` days after each success.
  // Whatever the ordering, no fill is shut more than the bound in a row, nor more than the bound in any window of
  // twice the bound; redemptions and burns are never shut.
  const horizon = 5 * BOUND_DAYS;
  for (const order of permutations(SCOPES)) {
    for (const [offset, gap] of [
      [0, 1],
      [3, 1],
      [0, BOUND_DAYS - 1],
      [5, BOUND_DAYS],
    ] as const) {
      it(`pauses ${order.map((scope) => NAMES[`${scope}`]).join(" > ")} from day ${offset}, every ${gap} day(s), shut at most the bound per window`, async () => {
        const { stamps, pauser, probes } = await loadFixture(pausableProgram);
        const start = BigInt(await time.latest()) + DAY;
        const shut = { fillInCoin: [] as boolean[], fillInPoints: [] as boolean[] };
        let next = 0;
        let waitUntil = offset;
        for (let day = 0; day < horizon; ++day) {
          await time.increaseTo(start + BigInt(day) * DAY);
          if (day >= waitUntil) {
            const scope = order[next % order.length]!;
            const paused = await stamps
              .connect(pauser)
              .pause(scope)
              .then(
                () => true,
                () => false,
              );
            if (paused) {
              ++next;
              waitUntil = day + gap;
            }
          }
          // Probed at midday, clear of the second a pause starts or lifts.
          await time.increaseTo(start + BigInt(day) * DAY + DAY / 2n);
          shut.fillInCoin.push(!(await probes.fillInCoin()));
          shut.fillInPoints.push(!(await probes.fillInPoints()));
          expect(await probes.redemption(), `redemption, day ${day}`).to.equal(true);
          expect(await probes.burn(), `burn, day ${day}`).to.equal(true);
        }
        for (const [path, days] of Object.entries(shut)) {
          expect(longestRun(days), `${path}: longest stop`).to.be.at.most(BOUND_DAYS);
          expect(mostInWindow(days, 2 * BOUND_DAYS), `${path}: most days shut in a window`).to.be.at.most(BOUND_DAYS);
        }
        // The pauser did get to pause: the budget was used, not dodged.
        expect(next).to.be.greaterThan(0);
      });
    }
  }
});
