import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import {
  creditPurchase,
  readLedger,
  receiptIdOf,
  redeemPoints,
  redeemVoucher,
  pointsAbi,
  rewardPoints,
  rewardsAbi,
  signVoucher,
  tierOf,
  tiersFromLedger,
} from "@punchcard/sdk";
import { deployProgram } from "@punchcard/sdk/deploy";
import { testConfig, viemActors } from "../helpers/viem";

// A member's tier read on-chain (one view call) always equals the tier anyone recomputes from the ledger alone,
// whatever the sequence of journeys redeemed, ordinary rewards (one member or a batch), points bought (which earn no
// status), points spent (which never lower it), and tier changes.
const RUNS = { numRuns: 15 };

async function rewardsProgram() {
  const actors = await viemActors();
  const config = {
    ...testConfig(actors.treasury.account.address, actors.backend.account.address),
    journeys: [{ id: "any", name: "Any", reward: { points: 1_000 }, limitPerMember: 0 }],
    tiers: [
      { name: "Silver", threshold: 100 },
      { name: "Gold", threshold: 500 },
    ],
  };
  const { program } = await deployProgram(actors.brand, { config });
  return { ...actors, program };
}

const step = fc.oneof(
  fc.record({ kind: fc.constant("earn" as const), member: fc.nat(3), points: fc.integer({ min: 0, max: 400 }) }),
  fc.record({
    kind: fc.constant("reward" as const),
    rewards: fc.array(fc.record({ member: fc.nat(3), points: fc.integer({ min: 1, max: 400 }) }), {
      minLength: 1,
      maxLength: 4,
    }),
  }),
  fc.record({ kind: fc.constant("buy" as const), member: fc.nat(3), points: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ kind: fc.constant("spend" as const), member: fc.nat(3), points: fc.integer({ min: 1, max: 400 }) }),
  fc.record({
    kind: fc.constant("tiers" as const),
    thresholds: fc.uniqueArray(fc.integer({ min: 1, max: 1_500 }), { maxLength: 8 }).map((t) => t.sort((a, b) => a - b)),
  }),
);

describe("properties: Rewards", () => {
  it("tierOf on-chain equals the tier recomputed from the ledger", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        const { program, brand, backend, members } = await loadFixture(rewardsProgram);
        let receipts = 0;
        for (const s of steps) {
          if (s.kind === "reward") {
            const rewards = s.rewards.map((r) => ({ member: members[r.member]!.account.address, amount: BigInt(r.points) }));
            await rewardPoints(backend, { program, rewards, reason: "visit" });
          } else if (s.kind === "buy") {
            const member = members[s.member]!.account.address;
            const receiptId = receiptIdOf(`receipt-${++receipts}`, "secret");
            await creditPurchase(backend, { program, member, amount: BigInt(s.points), receiptId });
          } else if (s.kind === "spend") {
            const member = members[s.member]!;
            const balance = await member.readContract({
              address: program.points,
              abi: pointsAbi,
              functionName: "balanceOf",
              args: [member.account.address],
            });
            const amount = BigInt(s.points) < balance ? BigInt(s.points) : balance;
            if (amount > 0n) await redeemPoints(member, { program, amount, rewardId: "coffee" });
          } else if (s.kind === "earn") {
            const member = members[s.member]!.account.address;
            const voucher = await signVoucher(backend, { program, member, journeyId: "any", points: BigInt(s.points) });
            await redeemVoucher(members[s.member]!, { program, voucher });
          } else {
            await brand.writeContract({
              address: program.rewards,
              abi: rewardsAbi,
              functionName: "setTiers",
              args: [s.thresholds.map(BigInt)],
            });
          }
        }
        const fromLedger = tiersFromLedger({ entries: await readLedger(brand, { program }) });
        for (const m of members.slice(0, 4)) {
          const member = m.account.address;
          const onChain = await tierOf(brand, { program, member });
          const recomputed = fromLedger.get(member.toLowerCase());
          expect(recomputed?.tier ?? 0, member).to.equal(onChain.tier);
          expect(recomputed?.status ?? 0n, member).to.equal(onChain.status);
        }
      }),
      RUNS,
    );
  });
});
