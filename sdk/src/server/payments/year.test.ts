import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { parseEventLogs, type Address } from "viem";
import { pointsAbi } from "../../generated/abis.js";
import {
  paymentsSetup,
  postGeneric,
  postStripe,
  stripeDisputeClosed,
  stripePaid,
  stripeRefunded,
  type WebhookAnswer,
} from "./__fixtures__/webhooks.js";

/** A small deterministic generator (mulberry32): the same year every run. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Delivery {
  send: () => Promise<WebhookAnswer>;
  /** Deliveries of one payment keep no order among themselves: the provider promises none. */
  day: number;
}

describe("payments: a year of card purchases, refunds and disputes", () => {
  it("through signed webhooks with retries, reorderings and chain outages, the chain's credits minus reversals equal the payments' net, to the point", async function () {
    this.timeout(600_000);
    const s = await paymentsSetup();
    const next = random(30);
    const members = [s.ada, s.ben, s.cleo].map((m) => m.account.address);
    const packs = [
      { id: "small", points: 500n, amount: 499 },
      { id: "large", points: 1_200n, amount: 999 },
    ];
    const before = new Map<Address, bigint>();
    for (const m of members) before.set(m, await s.balance(m));
    const expected = new Map<Address, bigint>(members.map((m) => [m, 0n]));
    const deliveries: Delivery[] = [];
    let paidMinor = 0;
    let backMinor = 0;

    for (let i = 0; i < 60; i++) {
      const wallet = members[Math.floor(next() * members.length)]!;
      const pack = packs[Math.floor(next() * packs.length)]!;
      const day = Math.floor(next() * 365);
      const stripe = next() < 0.7;
      const paymentId = stripe ? `pi_year_${i}` : `pay_year_${i}`;
      const fate = next();
      const ending: "kept" | "refunded" | "partly refunded" | "dispute lost" | "dispute won" =
        fate < 0.6
          ? "kept"
          : fate < 0.75
            ? "refunded"
            : fate < 0.85
              ? "partly refunded"
              : fate < 0.95
                ? "dispute lost"
                : "dispute won";
      // The member's points: the package's, unless any refund or a lost dispute took the purchase back (whole).
      const reversed = ending === "refunded" || ending === "partly refunded" || ending === "dispute lost";
      if (!reversed) expected.set(wallet, expected.get(wallet)! + pack.points);
      paidMinor += pack.amount;
      const back = ending === "refunded" || ending === "dispute lost" ? pack.amount : ending === "partly refunded" ? 100 : 0;
      backMinor += back;

      const paid = stripe
        ? () => postStripe(s.server.app, stripePaid(paymentId, wallet, { pack: pack.id, amount: pack.amount }))
        : () =>
            postGeneric(s.server.app, {
              id: `ev_paid_${i}`,
              type: "payment.succeeded",
              paymentId,
              amount: pack.amount,
              currency: "eur",
              wallet,
              package: pack.id,
            });
      const reversal =
        ending === "kept"
          ? undefined
          : ending === "dispute won"
            ? stripe
              ? () => postStripe(s.server.app, stripeDisputeClosed(paymentId, pack.amount, "won"))
              : undefined
            : stripe
              ? () =>
                  postStripe(
                    s.server.app,
                    ending === "dispute lost" ? stripeDisputeClosed(paymentId, back) : stripeRefunded(paymentId, back),
                  )
              : () =>
                  postGeneric(s.server.app, {
                    id: `ev_back_${i}`,
                    type: ending === "dispute lost" ? "payment.dispute_lost" : "payment.refunded",
                    paymentId,
                    amount: back,
                    currency: "eur",
                  });
      // Each event delivered one to three times (the provider retries); a reversal comes days later, or, one time in
      // five, before its payment.
      const reversalDay = next() < 0.2 ? day - 1 : day + 1 + Math.floor(next() * 60);
      for (let n = 1 + Math.floor(next() * 3); n > 0; n--) deliveries.push({ send: paid, day: day + next() * 0.5 });
      if (reversal)
        for (let n = 1 + Math.floor(next() * 3); n > 0; n--) deliveries.push({ send: reversal, day: reversalDay + next() * 0.5 });
      // A wrong amount for the same package, forged or mistaken: refused, never credited.
      if (next() < 0.1)
        deliveries.push({
          send: () =>
            postStripe(s.server.app, stripePaid(`${paymentId}_bad`, wallet, { pack: pack.id, amount: pack.amount + 1 })),
          day,
        });
    }
    deliveries.sort((a, b) => a.day - b.day);

    const statuses = new Map<number, number>();
    let lastDay = 0;
    for (const [i, delivery] of deliveries.entries()) {
      // The chain goes down for a stretch now and then; webhooks are still answered (the outbox waits).
      s.chain.down = i % 37 >= 30;
      if (Math.floor(delivery.day) > lastDay + 30) {
        await time.increase(30 * 86_400);
        lastDay = Math.floor(delivery.day);
      }
      const answer = await delivery.send();
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (i % 10 === 9) await s.payments.outbox.drain().catch(() => 0);
    }
    s.chain.down = false;
    await new Promise((r) => setTimeout(r, 100));
    await s.payments.outbox.drain();
    await new Promise((r) => setTimeout(r, 100));
    await s.payments.outbox.drain();

    expect([...statuses.keys()].sort()).to.deep.equal([200, 422]);
    for (const m of members) expect(await s.balance(m), m).to.equal(before.get(m)! + expected.get(m)!);

    // The chain's own account: every credit and reversal of the program, read from its logs.
    const logs = await s.ben.getLogs({ address: s.program.points, fromBlock: 0n });
    const events = parseEventLogs({ abi: pointsAbi, logs });
    let credited = 0n;
    let burned = 0n;
    for (const event of events) {
      if (event.eventName === "PointsPurchaseReversed") burned += event.args.burned;
      if (event.eventName === "PointsCredited") credited += event.args.amount;
    }
    const net = [...expected.values()].reduce((a, b) => a + b, 0n);
    expect(credited - burned).to.equal(net);
    const rows = await s.payments.store.db.selectFrom("payment_receipts").selectAll().execute();
    expect(rows.every((r) => r.work === 0)).to.equal(true);
    expect(rows.reduce((sum, r) => sum + Number(r.amount ?? 0), 0)).to.equal(paidMinor);
    expect(rows.reduce((sum, r) => sum + Number(r.refunded), 0)).to.equal(backMinor);
    await s.db.destroy();
  });
});
