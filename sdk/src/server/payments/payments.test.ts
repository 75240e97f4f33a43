import { expect } from "chai";
import { createHmac } from "node:crypto";
import { getAddress, stringToHex, type Hex } from "viem";
import { openDatabase } from "../../node/database.js";
import { createProgramServer } from "../app.js";
import type { OrderBookTables } from "../orderBook/schema.js";
import { databaseEngines, freshDatabase } from "../../../../test/helpers/databases.js";
import { receiptIdOfPayment } from "./config.js";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { signForgetRequest, toWire } from "../../index.js";
import { LinkStore } from "../../node/linkStore/linkStore.js";
import { marketProgram } from "../../../../test/helpers/sdkProgram.js";
import {
  ADMIN_TOKEN,
  BRAND_SECRET,
  emailOf,
  GENERIC,
  paymentsSetup,
  paymentTables,
  postGeneric,
  postStripe,
  priceList,
  stripeDisputeClosed,
  stripePaid,
  stripeRefunded,
  type PaymentsSetup,
} from "./__fixtures__/webhooks.js";

const stripeReceipt = (paymentId: string) => receiptIdOfPayment({ brandSecret: BRAND_SECRET, provider: "stripe", paymentId });
const ReceiptState = { None: 0, Credited: 1, Reversed: 2 } as const;

/** Captures console.error while `run` runs. */
async function capturingErrors<T>(run: () => Promise<T>): Promise<{ result: T; logged: string[] }> {
  const logged: string[] = [];
  const log = console.error;
  console.error = (...parts: unknown[]) => logged.push(parts.map(String).join(" "));
  try {
    return { result: await run(), logged };
  } finally {
    console.error = log;
  }
}

async function receiptRow(s: PaymentsSetup, receiptId: Hex) {
  return s.payments.store.receipt(receiptId);
}

describe("payments: points bought by card", () => {
  describe("the receipt id names nobody", () => {
    it("is HMAC-SHA256(brandSecret, provider + ':' + paymentId), and differs per provider and per secret", () => {
      const expected = `0x${createHmac("sha256", BRAND_SECRET).update("stripe:pi_123").digest("hex")}`;
      expect(stripeReceipt("pi_123")).to.equal(expected);
      expect(receiptIdOfPayment({ brandSecret: BRAND_SECRET, provider: "acmepay", paymentId: "pi_123" })).to.not.equal(expected);
      expect(receiptIdOfPayment({ brandSecret: `${BRAND_SECRET}!`, provider: "stripe", paymentId: "pi_123" })).to.not.equal(
        expected,
      );
    });

    it("a brand secret shorter than 32 characters is refused when the server is made", async () => {
      const s = await paymentsSetup();
      expect(() =>
        createProgramServer({
          program: s.program,
          client: s.ben,
          db: s.db,
          payments: { priceList, brandSecret: "short", minter: s.backend },
        }),
      ).to.throw(/at least 32 characters/);
      await s.db.destroy();
    });
  });

  describe("Stripe webhook: use", () => {
    it("a succeeded payment for a package credits its points once, and support reads where they stand", async () => {
      const s = await paymentsSetup();
      const wallet = s.ada.account.address;
      const before = await s.balance(wallet);
      const answer = await postStripe(s.server.app, stripePaid("pi_use_1", wallet));
      expect(answer).to.deep.equal({ status: 200, json: { received: true, outcome: "applied" } });
      const receiptId = stripeReceipt("pi_use_1");
      // Stored before the answer: queued, or credited already by the outbox it woke.
      expect(["queued", "credited"]).to.include((await receiptRow(s, receiptId))?.chain);
      await s.payments.outbox.drain();
      expect(await s.balance(wallet)).to.equal(before + 500n);
      expect(await s.receiptOnChain(receiptId)).to.equal(ReceiptState.Credited);

      const read = await s.server.app.request(`/payments/receipts?paymentId=pi_use_1`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(read.status).to.equal(200);
      const body = (await read.json()) as { receipts: Record<string, unknown>[]; events: Record<string, unknown>[] };
      expect(body.receipts).to.have.length(1);
      expect(body.receipts[0]).to.include({
        receiptId,
        provider: "stripe",
        paymentId: "pi_use_1",
        wallet: getAddress(wallet),
        packageId: "small",
        points: "500",
        amount: "499",
        currency: "eur",
        status: "paid",
        chain: "credited",
      });
      expect(body.events.map((e) => [e.eventId, e.outcome])).to.deep.equal([["evt_paid_pi_use_1", "applied"]]);
      const byWallet = await s.server.app.request(`/payments/receipts?wallet=${wallet}`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(((await byWallet.json()) as { receipts: unknown[] }).receipts).to.have.length(1);
      await s.db.destroy();
    });

    it("a refund reverses the purchase (points burned), a lost dispute too, a won dispute changes nothing", async () => {
      const s = await paymentsSetup();
      const wallet = s.ben.account.address;
      const before = await s.balance(wallet);
      for (const id of ["pi_refund", "pi_lost", "pi_won"])
        expect((await postStripe(s.server.app, stripePaid(id, wallet))).status).to.equal(200);
      await s.payments.outbox.drain();
      expect(await s.balance(wallet)).to.equal(before + 1_500n);
      expect((await postStripe(s.server.app, stripeRefunded("pi_refund", 499))).json.outcome).to.equal("applied");
      expect((await postStripe(s.server.app, stripeDisputeClosed("pi_lost", 499))).json.outcome).to.equal("applied");
      expect((await postStripe(s.server.app, stripeDisputeClosed("pi_won", 499, "won"))).json.outcome).to.equal("ignored");
      await s.payments.outbox.drain();
      expect(await s.balance(wallet)).to.equal(before + 500n);
      expect(await s.receiptOnChain(stripeReceipt("pi_refund"))).to.equal(ReceiptState.Reversed);
      expect(await s.receiptOnChain(stripeReceipt("pi_lost"))).to.equal(ReceiptState.Reversed);
      expect(await s.receiptOnChain(stripeReceipt("pi_won"))).to.equal(ReceiptState.Credited);
      const refunded = await receiptRow(s, stripeReceipt("pi_refund"));
      expect(refunded).to.include({ status: "refunded", chain: "reversed", refunded: "499", burned: "500", shortfall: "0" });
      expect((await receiptRow(s, stripeReceipt("pi_lost")))?.status).to.equal("disputed");
      await s.db.destroy();
    });

    it("an event not about points (another type, a payment with no package, a charge with no PaymentIntent) is acknowledged and ignored", async () => {
      const s = await paymentsSetup();
      const body = JSON.stringify({ id: "evt_other", object: "event", type: "customer.created", data: { object: {} } });
      const ignored = { status: 200, json: { received: true, outcome: "ignored" } };
      expect(await postStripe(s.server.app, body)).to.deep.equal(ignored);
      const coffee = stripePaid("pi_coffee", s.ada.account.address, { pack: null, amount: 350 });
      expect(await postStripe(s.server.app, coffee)).to.deep.equal(ignored);
      const legacyRefund = JSON.stringify({
        id: "evt_legacy",
        object: "event",
        type: "charge.refunded",
        data: { object: { id: "ch_1", payment_intent: null, amount_refunded: 100, currency: "eur" } },
      });
      expect(await postStripe(s.server.app, legacyRefund)).to.deep.equal(ignored);
      expect(await paymentTables(s.db).selectFrom("payment_receipts").selectAll().execute()).to.deep.equal([]);
      await s.db.destroy();
    });
  });

  describe("Stripe webhook: abuse", () => {
    for (const engine of databaseEngines())
      it(`the same event 10 times at once credits once (one applied, nine duplicates; two workers draining; ${engine})`, async () => {
        const s = await paymentsSetup({ location: await freshDatabase(engine) });
        const wallet = s.cleo.account.address;
        const before = await s.balance(wallet);
        const body = stripePaid("pi_replayed", wallet);
        const answers = await Promise.all(Array.from({ length: 10 }, () => postStripe(s.server.app, body)));
        expect(answers.map((a) => a.status)).to.deep.equal(Array(10).fill(200));
        expect(answers.filter((a) => a.json.outcome === "applied")).to.have.length(1);
        expect(answers.filter((a) => a.json.outcome === "duplicate")).to.have.length(9);
        // A second instance on the same database drains at the same time: the lease lets one send.
        const other = s.open();
        await Promise.all([s.payments.outbox.drain(), other.payments.outbox.drain(), s.payments.outbox.drain()]);
        expect(await s.balance(wallet)).to.equal(before + 500n);
        // Replays after the credit change nothing either.
        for (let i = 0; i < 3; i++) expect((await postStripe(s.server.app, body)).json.outcome).to.equal("duplicate");
        await s.payments.outbox.drain();
        expect(await s.balance(wallet)).to.equal(before + 500n);
        const rows = await paymentTables(s.db).selectFrom("payment_receipts").selectAll().execute();
        expect(rows).to.have.length(1);
        await other.db.destroy();
        await s.db.destroy();
      });

    for (const [what, sign] of [
      ["signed with another secret", { secret: "whsec_forged" }],
      ["signed 6 minutes ago (tolerance 5)", { timestamp: Math.floor(Date.now() / 1000) - 360 }],
    ] as const)
      it(`an event ${what} is refused 401, stores nothing, and is logged without its body`, async () => {
        const s = await paymentsSetup();
        const body = stripePaid("pi_forged_secret_id", s.ada.account.address);
        const { result, logged } = await capturingErrors(() => postStripe(s.server.app, body, sign));
        expect(result.status).to.equal(401);
        expect(result.json.error?.code).to.equal("secret" in sign ? "signature_invalid" : "signature_expired");
        expect(logged.join("\n")).to.match(/refused a stripe webhook/);
        expect(logged.join("\n")).to.not.include("pi_forged_secret_id");
        expect(logged.join("\n")).to.not.include(emailOf("pi_forged_secret_id"));
        expect(await paymentTables(s.db).selectFrom("payment_receipts").selectAll().execute()).to.deep.equal([]);
        expect(await paymentTables(s.db).selectFrom("payment_events").selectAll().execute()).to.deep.equal([]);
        await s.db.destroy();
      });

    it("a body changed after signing, or no signature at all, is refused 401", async () => {
      const s = await paymentsSetup();
      const wallet = s.ada.account.address;
      const signed = stripePaid("pi_tampered", wallet);
      const signature = (await import("stripe")).default.webhooks.generateTestHeaderString({
        payload: signed,
        secret: "whsec_punchcard_test_secret",
      });
      const tampered = signed.replace('"amount_received":499', '"amount_received":999').replace('"small"', '"large"');
      const sent = await s.server.app.request("/payments/stripe", {
        method: "POST",
        headers: { "content-type": "application/json", "stripe-signature": signature },
        body: tampered,
      });
      expect(sent.status).to.equal(401);
      const unsigned = await s.server.app.request("/payments/stripe", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: signed,
      });
      expect(unsigned.status).to.equal(401);
      expect(((await unsigned.json()) as { error: { code: string } }).error.code).to.equal("signature_missing");
      await s.db.destroy();
    });

    it("a payment for an unknown wallet (none, malformed, zero, the program's own contract) is refused 422 and recorded", async () => {
      const s = await paymentsSetup({ payments: { knownWallet: async (w) => w !== getAddress(s.cleo.account.address) } });
      const wallets = [
        undefined,
        "0x1234",
        "0x0000000000000000000000000000000000000000",
        s.program.points,
        s.cleo.account.address,
      ];
      for (const [i, wallet] of wallets.entries()) {
        const answer = await postStripe(s.server.app, stripePaid(`pi_unknown_${i}`, wallet));
        expect(answer.status, String(wallet)).to.equal(422);
        expect(answer.json.error?.code).to.equal("unknown_wallet");
      }
      expect(await paymentTables(s.db).selectFrom("payment_receipts").selectAll().execute()).to.deep.equal([]);
      const events = await paymentTables(s.db).selectFrom("payment_events").selectAll().orderBy("event_id").execute();
      expect(events.map((e) => [e.outcome, e.code])).to.deep.equal(Array(5).fill(["refused", "unknown_wallet"]));
      await s.db.destroy();
    });

    it("an amount, currency or package not matching the price list is refused 422 and recorded; the price paid credits", async () => {
      const s = await paymentsSetup();
      const wallet = s.ada.account.address;
      const before = await s.balance(wallet);
      const cases = [
        [{ amount: 1 }, "amount_mismatch"],
        [{ pack: "large", amount: 499 }, "amount_mismatch"],
        [{ currency: "usd" }, "currency_mismatch"],
        [{ pack: "huge" }, "unknown_package"],
      ] as const;
      for (const [i, [change, code]] of cases.entries()) {
        const answer = await postStripe(s.server.app, stripePaid(`pi_price_${i}`, wallet, change));
        expect(answer.status, code).to.equal(422);
        expect(answer.json.error?.code).to.equal(code);
      }
      // The large package at its price, in its currency written in another case, credits.
      expect((await postStripe(s.server.app, stripePaid("pi_price_ok", wallet, { pack: "large", amount: 999 }))).status).to.equal(
        200,
      );
      await s.payments.outbox.drain();
      expect(await s.balance(wallet)).to.equal(before + 1_200n);
      const refused = await paymentTables(s.db)
        .selectFrom("payment_events")
        .select("code")
        .where("outcome", "=", "refused")
        .execute();
      expect(refused.map((e) => e.code).sort()).to.deep.equal([
        "amount_mismatch",
        "amount_mismatch",
        "currency_mismatch",
        "unknown_package",
      ]);
      await s.db.destroy();
    });

    it("a refund larger than the payment is refused 422 and reverses nothing; the true refund then reverses", async () => {
      const s = await paymentsSetup();
      const wallet = s.ada.account.address;
      const before = await s.balance(wallet);
      await postStripe(s.server.app, stripePaid("pi_big_refund", wallet));
      await s.payments.outbox.drain();
      const answer = await postStripe(s.server.app, stripeRefunded("pi_big_refund", 500));
      expect(answer.status).to.equal(422);
      expect(answer.json.error?.code).to.equal("refund_exceeds_payment");
      await s.payments.outbox.drain();
      expect(await s.balance(wallet)).to.equal(before + 500n);
      expect(await s.receiptOnChain(stripeReceipt("pi_big_refund"))).to.equal(ReceiptState.Credited);
      // A partial refund reverses the whole package: the contract reverses a receipt whole.
      expect((await postStripe(s.server.app, stripeRefunded("pi_big_refund", 100))).status).to.equal(200);
      // The rest refunded later changes nothing more on chain.
      expect((await postStripe(s.server.app, stripeRefunded("pi_big_refund", 499))).json.outcome).to.equal("duplicate");
      await s.payments.outbox.drain();
      expect(await s.balance(wallet)).to.equal(before);
      expect(await receiptRow(s, stripeReceipt("pi_big_refund"))).to.include({ refunded: "499", chain: "reversed" });
      await s.db.destroy();
    });

    it("a refund that arrives before its payment is honoured: the payment then credits nothing", async () => {
      const s = await paymentsSetup();
      const wallet = s.ben.account.address;
      const before = await s.balance(wallet);
      expect((await postStripe(s.server.app, stripeRefunded("pi_early_refund", 499))).json.outcome).to.equal("applied");
      await s.payments.outbox.drain();
      expect((await postStripe(s.server.app, stripePaid("pi_early_refund", wallet))).json.outcome).to.equal("applied");
      await s.payments.outbox.drain();
      expect(await s.balance(wallet)).to.equal(before);
      expect(await receiptRow(s, stripeReceipt("pi_early_refund"))).to.include({
        status: "refunded",
        paid: 1,
        chain: "settled",
        wallet: getAddress(wallet),
      });
      // The payment replayed later still credits nothing.
      await postStripe(s.server.app, stripePaid("pi_early_refund", wallet, { eventId: "evt_retry_late" }));
      await s.payments.outbox.drain();
      expect(await s.balance(wallet)).to.equal(before);
      await s.db.destroy();
    });

    it("a refund that arrives while the credit is being sent reverses it once the credit lands", async () => {
      const s = await paymentsSetup();
      const wallet = s.ben.account.address;
      const before = await s.balance(wallet);
      await postStripe(s.server.app, stripePaid("pi_race", wallet));
      // The refund is recorded between the worker's claim and its settle: the credit's row version moved on.
      s.chain.delayMs = 0;
      const draining = s.payments.outbox.drain();
      await postStripe(s.server.app, stripeRefunded("pi_race", 499));
      await draining;
      await s.payments.outbox.drain();
      expect(await s.balance(wallet)).to.equal(before);
      const row = await receiptRow(s, stripeReceipt("pi_race"));
      expect(row?.work).to.equal(0);
      expect(["reversed", "settled"]).to.include(row?.chain);
      await s.db.destroy();
    });
  });

  describe("exactly once under faults", () => {
    it("the chain down when the webhook arrives: 200 (stored), retried, credited once when the chain is back", async () => {
      const s = await paymentsSetup();
      const wallet = s.ada.account.address;
      const before = await s.balance(wallet);
      s.chain.down = true;
      const { logged } = await capturingErrors(async () => {
        expect((await postStripe(s.server.app, stripePaid("pi_chain_down", wallet))).status).to.equal(200);
        for (let i = 0; i < 3; i++) {
          await s.payments.outbox.drain();
          await new Promise((r) => setTimeout(r, 20));
        }
      });
      const waiting = await receiptRow(s, stripeReceipt("pi_chain_down"));
      expect(waiting).to.include({ chain: "queued", work: 1 });
      expect(waiting?.attempts).to.be.greaterThan(0);
      expect(waiting?.last_error).to.be.a("string");
      expect(logged.join("\n")).to.not.include("SECRETKEY123");
      expect(await s.balance(wallet)).to.equal(before);
      s.chain.down = false;
      await new Promise((r) => setTimeout(r, 50));
      await s.payments.outbox.drain();
      expect(await s.balance(wallet)).to.equal(before + 500n);
      expect(await receiptRow(s, stripeReceipt("pi_chain_down"))).to.include({
        chain: "credited",
        attempts: 0,
        last_error: null,
      });
      await s.db.destroy();
    });

    it("the store down when the webhook arrives: 503 with Retry-After, so the provider retries", async () => {
      const s = await paymentsSetup();
      const db = openDatabase<OrderBookTables>("postgres://punchcard:punchcard@127.0.0.1:1/punchcard_none");
      const down = createProgramServer({
        program: s.program,
        client: s.ben,
        db,
        payments: { priceList, brandSecret: BRAND_SECRET, minter: s.backend, stripeWebhookSecret: "whsec_punchcard_test_secret" },
      });
      try {
        const answer = await postStripe(down.app, stripePaid("pi_store_down", s.ada.account.address));
        expect(answer.status).to.equal(503);
        expect(answer.json.error?.code).to.equal("database_unavailable");
      } finally {
        await db.destroy();
        await s.db.destroy();
      }
    });

    it("the server killed after accepting, before crediting: a new server on the store credits once", async () => {
      const s = await paymentsSetup({ payments: { leaseMs: 30 } });
      const wallet = s.cleo.account.address;
      const before = await s.balance(wallet);
      // The first server's credit never goes out: its node hangs, and the process dies holding the receipt.
      s.chain.outage = "hang";
      s.chain.down = true;
      expect((await postStripe(s.server.app, stripePaid("pi_killed", wallet))).status).to.equal(200);
      await new Promise((r) => setTimeout(r, 20));
      expect((await receiptRow(s, stripeReceipt("pi_killed")))?.lease_until).to.be.a("string");
      await s.db.destroy();
      s.chain.down = false;
      await new Promise((r) => setTimeout(r, 60)); // its lease runs out
      const restarted = s.open();
      await restarted.payments.outbox.drain();
      await restarted.payments.outbox.drain();
      expect(await s.balance(wallet)).to.equal(before + 500n);
      expect(await restarted.payments.store.receipt(stripeReceipt("pi_killed"))).to.include({ chain: "credited", work: 0 });
      await restarted.db.destroy();
    });

    it("the server killed after sending the credit, before recording it: the retry finds it on chain and credits nothing more", async () => {
      const s = await paymentsSetup();
      const wallet = s.cleo.account.address;
      const before = await s.balance(wallet);
      await postStripe(s.server.app, stripePaid("pi_sent_then_killed", wallet));
      await s.payments.outbox.drain();
      expect(await s.balance(wallet)).to.equal(before + 500n);
      // The row as the dead worker left it: taken (its lease over), the credit sent, "done" never written.
      const receiptId = stripeReceipt("pi_sent_then_killed");
      await paymentTables(s.db)
        .updateTable("payment_receipts")
        .set({ chain: "queued", work: 1, credit_tx: null, lease_until: new Date(Date.now() - 1).toISOString() })
        .where("receipt_id", "=", receiptId)
        .execute();
      await s.db.destroy();
      const restarted = s.open();
      await restarted.payments.outbox.drain();
      expect(await s.balance(wallet)).to.equal(before + 500n);
      expect(await restarted.payments.store.receipt(receiptId)).to.include({ chain: "credited", work: 0, attempts: 0 });
      await restarted.db.destroy();
    });
  });

  describe("generic HMAC webhook", () => {
    it("use: payment.succeeded credits, payment.refunded reverses; the receipt id is keyed on the provider's name", async () => {
      const s = await paymentsSetup();
      const wallet = s.ada.account.address;
      const before = await s.balance(wallet);
      const paid = {
        id: "ev_1",
        type: "payment.succeeded",
        paymentId: "pay_77",
        amount: "999",
        currency: "EUR",
        wallet,
        package: "large",
      };
      expect(await postGeneric(s.server.app, paid)).to.deep.equal({ status: 200, json: { received: true, outcome: "applied" } });
      await s.payments.outbox.drain();
      expect(await s.balance(wallet)).to.equal(before + 1_200n);
      const receiptId = receiptIdOfPayment({ brandSecret: BRAND_SECRET, provider: GENERIC.provider, paymentId: "pay_77" });
      expect(await s.receiptOnChain(receiptId)).to.equal(ReceiptState.Credited);
      const refund = { id: "ev_2", type: "payment.refunded", paymentId: "pay_77", amount: 999, currency: "eur" };
      expect((await postGeneric(s.server.app, refund)).status).to.equal(200);
      await s.payments.outbox.drain();
      expect(await s.balance(wallet)).to.equal(before);
      await s.db.destroy();
    });

    it("abuse: a wrong secret, a stale timestamp, a malformed header, a body that is not an event", async () => {
      const s = await paymentsSetup();
      const paid = {
        id: "ev_x",
        type: "payment.succeeded",
        paymentId: "pay_x",
        amount: 499,
        currency: "eur",
        wallet: s.ada.account.address,
        package: "small",
      };
      const { logged } = await capturingErrors(async () => {
        expect((await postGeneric(s.server.app, paid, { secret: "not-the-secret" })).json.error?.code).to.equal(
          "signature_invalid",
        );
        const stale = await postGeneric(s.server.app, paid, { timestamp: Math.floor(Date.now() / 1000) - 301 });
        expect([stale.status, stale.json.error?.code]).to.deep.equal([401, "signature_expired"]);
        const future = await postGeneric(s.server.app, paid, { timestamp: Math.floor(Date.now() / 1000) + 301 });
        expect([future.status, future.json.error?.code]).to.deep.equal([401, "signature_expired"]);
      });
      expect(logged.join("\n")).to.not.include("pay_x");
      const malformed = await s.server.app.request("/payments/webhook", {
        method: "POST",
        headers: { "content-type": "application/json", "punchcard-signature": "v1=abc" },
        body: JSON.stringify(paid),
      });
      expect(malformed.status).to.equal(401);
      const notAnEvent = await postGeneric(s.server.app, { id: "ev_y", type: "payment.succeeded", amount: -1 });
      expect([notAnEvent.status, notAnEvent.json.error?.code]).to.deep.equal([400, "invalid_event"]);
      expect(await paymentTables(s.db).selectFrom("payment_receipts").selectAll().execute()).to.deep.equal([]);
      await s.db.destroy();
    });
  });

  describe("support and erasure", () => {
    it("the receipts read needs the admin token (401 without, or with another); it is off (404) without one configured", async () => {
      const s = await paymentsSetup();
      for (const headers of [{}, { authorization: "Bearer wrong" }, { authorization: ADMIN_TOKEN }] as Record<string, string>[]) {
        const answer = await s.server.app.request(`/payments/receipts?paymentId=pi_1`, { headers });
        expect(answer.status).to.equal(401);
      }
      const off = s.open();
      const offServer = createProgramServer({
        program: s.program,
        client: s.ben,
        db: off.db,
        payments: { priceList, brandSecret: BRAND_SECRET, minter: s.backend },
      });
      const answer = await offServer.app.request(`/payments/receipts?paymentId=pi_1`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(answer.status).to.equal(404);
      expect((await postStripe(offServer.app, stripePaid("pi_off", s.ada.account.address))).status).to.equal(404);
      await off.db.destroy();
      await s.db.destroy();
    });

    it("forgetWallet drops the wallet and the payment ids; a refund after erasure still reverses by receipt id", async () => {
      const s = await paymentsSetup();
      const wallet = s.ada.account.address;
      const before = await s.balance(wallet);
      await postStripe(s.server.app, stripePaid("pi_forget_1", wallet));
      await s.payments.outbox.drain();
      // The second credit cannot go out yet (the chain is down): erasure drops it.
      s.chain.down = true;
      await capturingErrors(async () => {
        await postStripe(s.server.app, stripePaid("pi_forget_2", wallet));
        await s.payments.outbox.drain();
      });
      expect(await s.payments.forgetWallet(wallet)).to.equal(2);
      s.chain.down = false;
      await new Promise((r) => setTimeout(r, 50));
      const rows = await paymentTables(s.db).selectFrom("payment_receipts").selectAll().execute();
      expect(rows.map((r) => [r.wallet, r.payment_id])).to.deep.equal([
        [null, null],
        [null, null],
      ]);
      await s.payments.outbox.drain();
      expect(await s.balance(wallet)).to.equal(before + 500n);
      const read = await s.server.app.request(`/payments/receipts?wallet=${wallet}`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(((await read.json()) as { receipts: unknown[] }).receipts).to.deep.equal([]);
      expect((await postStripe(s.server.app, stripeRefunded("pi_forget_1", 499))).status).to.equal(200);
      await s.payments.outbox.drain();
      expect(await s.balance(wallet)).to.equal(before);
      await s.db.destroy();
    });
  });

  it("a member's signed forget request (POST /links/forget) also erases their card payments' ids; another wallet's stay", async () => {
    const location = await freshDatabase("sqlite");
    const fixture = await loadFixture(marketProgram);
    const linkStore = await LinkStore.open(location, { program: fixture.program, brand: fixture.backend });
    const s = await paymentsSetup({ location, server: { linkStore } });
    await postStripe(s.server.app, stripePaid("pi_forget_me", s.ada.account.address));
    await postStripe(s.server.app, stripePaid("pi_keep_me", s.ben.account.address));
    await s.payments.outbox.drain();
    const forget = async (member: typeof s.ada) => {
      const response = await s.server.app.request("/links/forget", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(toWire(await signForgetRequest(member, { program: s.program }))),
      });
      return {
        status: response.status,
        json: (await response.json()) as { status: string; erased: string[]; error?: { code: string } },
      };
    };
    // Ada never linked her wallet to a customer account, yet the brand held her payment: the request erases it.
    const answer = await forget(s.ada);
    expect(answer.status).to.equal(200);
    expect(answer.json.status).to.equal("forgotten");
    expect(answer.json.erased).to.deep.equal([
      "The ids of your 1 card payment and the wallet they credited (the points stay yours).",
    ]);
    const rows = await paymentTables(s.db).selectFrom("payment_receipts").select(["wallet", "payment_id"]).execute();
    expect(rows).to.have.deep.members([
      { wallet: null, payment_id: null },
      { wallet: getAddress(s.ben.account.address), payment_id: "pi_keep_me" },
    ]);
    // Cleo holds nothing with the brand: 404, and nothing changes.
    const nothing = await forget(s.cleo);
    expect([nothing.status, nothing.json.error?.code]).to.deep.equal([404, "not_linked"]);
    expect(
      await paymentTables(s.db).selectFrom("payment_receipts").select("wallet").where("wallet", "is not", null).execute(),
    ).to.have.length(1);
    await s.db.destroy();
    await linkStore.close();
  });

  it("no personal data on chain: no payment id or email in any transaction input or log", async () => {
    const s = await paymentsSetup();
    const paymentIds = ["pi_pii_1", "pi_pii_2", "pi_pii_3"];
    const wallets = [s.ada, s.ben, s.cleo].map((m) => m.account.address);
    for (const [i, id] of paymentIds.entries()) await postStripe(s.server.app, stripePaid(id, wallets[i]));
    await s.payments.outbox.drain();
    await postStripe(s.server.app, stripeRefunded("pi_pii_2", 499));
    await postStripe(s.server.app, stripeDisputeClosed("pi_pii_3", 499));
    await s.payments.outbox.drain();
    expect(await s.receiptOnChain(stripeReceipt("pi_pii_3"))).to.equal(ReceiptState.Reversed);

    const needles = new Set<string>();
    for (const text of paymentIds.flatMap((id) => [id, emailOf(id)]))
      for (const variant of [text, text.toUpperCase()]) {
        needles.add(stringToHex(variant).slice(2));
        needles.add(stringToHex(stringToHex(variant)).slice(2));
      }
    const head = await s.ben.getBlockNumber();
    let scanned = 0;
    for (let n = 0n; n <= head; n++) {
      const block = await s.ben.getBlock({ blockNumber: n, includeTransactions: true });
      for (const tx of block.transactions) {
        const receipt = await s.ben.getTransactionReceipt({ hash: tx.hash });
        const haystack = [tx.input, ...receipt.logs.flatMap((log) => [log.data, ...log.topics])].join("").toLowerCase();
        for (const needle of needles)
          expect(haystack.includes(needle.toLowerCase()), `found ${needle} in ${tx.hash}`).to.equal(false);
        scanned++;
      }
    }
    expect(scanned).to.be.greaterThan(5);
    // The scan can find things: the receipt ids (which name nobody) are there.
    const inputs: string[] = [];
    for (let n = 0n; n <= head; n++)
      inputs.push(...(await s.ben.getBlock({ blockNumber: n, includeTransactions: true })).transactions.map((t) => t.input));
    expect(inputs.join("").includes(stripeReceipt("pi_pii_1").slice(2))).to.equal(true);
    await s.db.destroy();
  });
});
