import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { announceProgramEnd, getPointsLifecycle, rewardPoints } from "../index.js";
import { deployProgram } from "../deploy.js";
import { testConfig, viemActors } from "../../../test/helpers/viem.js";

const DAY = 86_400;

/** Points expiring after 60 idle days; Ada earns 100 on day 0, the end is announced for day 100, Ada earns 5 on day 70. */
async function endingProgram() {
  const actors = await viemActors();
  const base = testConfig(actors.treasury.account.address, actors.backend.account.address);
  const config = { ...base, points: { ...base.points, pendingDays: 0, expiry: { model: "inactivity" as const, days: 60 } } };
  const { program } = await deployProgram(actors.brand, { config });
  const ada = actors.members[0]!.account.address;
  await rewardPoints(actors.backend, { program, reason: "visit", rewards: [{ member: ada, amount: 100n }] });
  const t0 = await time.latest();
  await announceProgramEnd(actors.brand, { program, endsAt: BigInt(t0 + 100 * DAY) });
  return { ...actors, program, ada, t0 };
}

describe("sdk: getPointsLifecycle", () => {
  it("warns of points expiring before the program's end, and of none after it: the clock stops at the end", async () => {
    const { brand, backend, program, ada, t0 } = await loadFixture(endingProgram);
    const lifecycle = (withinDays: number) => getPointsLifecycle(brand, { program, member: ada, withinDays });
    // Day 30: Ada's points expire on day 60, before the end.
    await time.increaseTo(t0 + 30 * DAY);
    expect(await lifecycle(30)).to.deep.include({ expiring: 100n, expiresAt: BigInt(t0 + 60 * DAY) });

    // Day 70: expired on day 60; Ada earns again, so her clock runs to day 130, past the end (day 100).
    await time.increaseTo(t0 + 70 * DAY);
    expect(await lifecycle(0)).to.deep.include({ expired: 100n, spendable: 0n });
    await rewardPoints(backend, { program, reason: "visit", rewards: [{ member: ada, amount: 5n }] });
    expect(await lifecycle(90)).to.deep.include({ balance: 5n, expiring: 0n, expiresAt: null });

    // Day 200, long past day 130: the balance froze at the end, unexpired.
    await time.increaseTo(t0 + 200 * DAY);
    expect(await lifecycle(30)).to.deep.equal({
      balance: 5n,
      pending: 0n,
      spendable: 5n,
      expired: 0n,
      expiring: 0n,
      expiresAt: null,
    });
  });
});
