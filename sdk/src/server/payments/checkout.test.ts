import { expect } from "chai";
import { network } from "hardhat";
import { getAddress, zeroAddress, type Address } from "viem";
import { getBlock } from "viem/actions";
import { announceProgramEnd, getProgramInfo } from "../../index.js";
import { flakyChain } from "../../../../test/helpers/flakyChain.js";
import { programKey } from "../../node/ledger/syncLedger.js";
import { hostedCheckout, paymentsOptionsOf, receiptIdOfPayment, type CheckoutRequest } from "./config.js";
import { PaymentStore } from "./store.js";
import { BRAND_SECRET, paymentsSetup, paymentTables, postGeneric } from "./__fixtures__/webhooks.js";

const CHECKOUT_URL = "https://pay.example.com/checkout";
const RETURN_URL = "http://127.0.0.1:5173/#/buy";

interface Answer {
  status: number;
  json: {
    url?: string;
    package?: string;
    points?: string;
    amount?: string;
    currency?: string;
    wallet?: string;
    brand?: string;
    checkout?: boolean;
    packages?: Array<{ id: string; points: string; amount: string; currency: string }>;
    error?: { code: string; message: string };
  };
}

async function call(
  app: { request: (path: string, init?: RequestInit) => Response | Promise<Response> },
  path: string,
  body?: unknown,
) {
  const response = await app.request(
    path,
    body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
  );
  return { status: response.status, json: (await response.json()) as Answer["json"] } satisfies Answer;
}

/** A server with payments and a hosted checkout on pay.example.com. */
const withCheckout = (extra: Parameters<typeof paymentsSetup>[0] = {}) =>
  paymentsSetup({
    ...extra,
    payments: {
      brandName: "Northwind Coffee",
      checkout: hostedCheckout({ url: CHECKOUT_URL, returnUrl: RETURN_URL }),
      ...extra.payments,
    },
  });

describe("payments: the price list and the checkout", () => {
  describe("GET /payments/packages", () => {
    it("answers the brand's name and the packages, cheapest first, in upper-case currency codes", async () => {
      const s = await withCheckout();
      const answer = await call(s.server.app, "/payments/packages");
      expect(answer).to.deep.equal({
        status: 200,
        json: {
          brand: "Northwind Coffee",
          checkout: true,
          packages: [
            { id: "small", points: "500", amount: "499", currency: "EUR" },
            { id: "large", points: "1200", amount: "999", currency: "EUR" },
          ],
        },
      });
      await s.db.destroy();
    });

    it("says checkout false when no checkout is configured, and POST /payments/checkout answers 404", async () => {
      const s = await paymentsSetup();
      expect((await call(s.server.app, "/payments/packages")).json.checkout).to.equal(false);
      const answer = await call(s.server.app, "/payments/checkout", { package: "small", wallet: s.ada.account.address });
      expect(answer.status).to.equal(404);
      expect(answer.json.error?.code).to.equal("not_found");
      await s.db.destroy();
    });
  });

  describe("POST /payments/checkout: use", () => {
    it("answers the provider's URL carrying the package, the wallet and the program, and the package's price", async () => {
      const s = await withCheckout();
      const wallet = s.ada.account.address;
      const answer = await call(s.server.app, "/payments/checkout", { package: "large", wallet: wallet.toLowerCase() });
      expect(answer.status).to.equal(200);
      const { url, ...rest } = answer.json;
      expect(rest).to.deep.equal({ package: "large", points: "1200", amount: "999", currency: "EUR", wallet });
      const target = new URL(url!);
      expect(`${target.origin}${target.pathname}`).to.equal(CHECKOUT_URL);
      expect(Object.fromEntries(target.searchParams)).to.deep.equal({
        package: "large",
        wallet,
        program: programKey(s.program),
        points: "1200",
        amount: "999",
        currency: "eur",
        return: RETURN_URL,
      });
      await s.db.destroy();
    });

    it("hands the brand's builder the whole request (a Stripe Checkout Session is made there)", async () => {
      const seen: CheckoutRequest[] = [];
      const s = await withCheckout({
        payments: { checkout: async (request) => (seen.push(request), "https://checkout.stripe.com/c/pay/cs_test_1") },
      });
      const answer = await call(s.server.app, "/payments/checkout", { package: "small", wallet: s.ben.account.address });
      expect(answer.json.url).to.equal("https://checkout.stripe.com/c/pay/cs_test_1");
      expect(seen).to.deep.equal([
        {
          packageId: "small",
          points: 500n,
          amount: 499n,
          currency: "eur",
          wallet: s.ben.account.address,
          program: programKey(s.program),
        },
      ]);
      await s.db.destroy();
    });

    it("accepts a contract the brand's knownWallet knows (a passkey account)", async () => {
      const account = getAddress("0x00000000000000000000000000000000000ac001");
      await network.provider.send("hardhat_setCode", [account, "0x6001600055"]);
      const s = await withCheckout({ payments: { knownWallet: async (wallet) => wallet === account } });
      const answer = await call(s.server.app, "/payments/checkout", { package: "small", wallet: account });
      expect(answer.status).to.equal(200);
      expect(answer.json.wallet).to.equal(account);
      await s.db.destroy();
    });
  });

  describe("POST /payments/checkout: abuse", () => {
    const refusals: Array<[string, (s: Awaited<ReturnType<typeof withCheckout>>) => Promise<unknown>, number, string, RegExp]> = [
      [
        "an unknown package",
        async () => ({ package: "huge" }),
        422,
        "unknown_package",
        /No points package "huge": choose one of small, large/,
      ],
      ["a key every object has", async () => ({ package: "constructor" }), 422, "unknown_package", /constructor/],
      ["the zero address", async () => ({ wallet: zeroAddress }), 422, "unknown_wallet", /zero address is nobody's wallet/],
      [
        "the program's Points contract",
        async (s) => ({ wallet: s.program.points }),
        422,
        "unknown_wallet",
        /program's own contracts/,
      ],
      [
        "the program's consent registry",
        async (s) => ({ wallet: s.program.consent }),
        422,
        "unknown_wallet",
        /program's own contracts/,
      ],
      [
        "a contract nobody knows (a token)",
        async (s) => ({ wallet: s.usd }),
        422,
        "unknown_wallet",
        /is a contract, not a member's wallet/,
      ],
      ["not an address", async () => ({ wallet: "0x1234" }), 400, "invalid_request", /wallet/],
      ["a field the route does not take", async () => ({ amount: "1" }), 400, "invalid_request", /amount/],
    ];
    for (const [what, change, status, code, message] of refusals) {
      it(`refuses ${what}: ${status} ${code}, saying why`, async () => {
        const s = await withCheckout();
        const body = { package: "small", wallet: s.ada.account.address, ...((await change(s)) as object) };
        const answer = await call(s.server.app, "/payments/checkout", body);
        expect(answer.status, JSON.stringify(answer.json)).to.equal(status);
        expect(answer.json.error?.code).to.equal(code);
        expect(answer.json.error?.message).to.match(message);
        await s.db.destroy();
      });
    }

    it("refuses a checkout once the program's end is announced: the credit could never land", async () => {
      const s = await withCheckout();
      // An end a day beyond the notice: on a chain whose last block is old (the whole suite's), the earliest end
      // taken from that block's time can already be too soon for the block that announces it.
      const { timestamp } = await getBlock(s.brand, { blockTag: "latest" });
      const notice = (await getProgramInfo(s.brand, { program: s.program })).lifecycle.noticePeriodSeconds;
      await announceProgramEnd(s.brand, { program: s.program, endsAt: timestamp + notice + 86_400n });
      const answer = await call(s.server.app, "/payments/checkout", { package: "small", wallet: s.ada.account.address });
      expect(answer.status).to.equal(422);
      expect(answer.json.error).to.deep.equal({
        code: "program_ending",
        message: "The program's end is announced: no points are sold any more.",
      });
      await s.db.destroy();
    });

    it("refuses a wallet the brand's knownWallet refuses, until it knows it", async () => {
      const known: Address[] = [];
      const s = await withCheckout({ payments: { knownWallet: async (wallet) => known.includes(wallet) } });
      const answer = await call(s.server.app, "/payments/checkout", { package: "small", wallet: s.cleo.account.address });
      expect(answer.status).to.equal(422);
      expect(answer.json.error).to.deep.equal({
        code: "unknown_wallet",
        message: "The brand does not know this wallet: link it to your account first, or choose the wallet you linked.",
      });
      known.push(getAddress(s.cleo.account.address));
      const again = await call(s.server.app, "/payments/checkout", { package: "small", wallet: s.cleo.account.address });
      expect(again.status, JSON.stringify(again.json)).to.equal(200);
      await s.db.destroy();
    });

    it("answers 503 when the chain does not answer, and 503 checkout_unavailable when the provider fails: the client's fault neither", async () => {
      const flaky = flakyChain();
      const logged: string[] = [];
      const s = await withCheckout({ server: { client: flaky.client } });
      flaky.chain.down = true;
      const down = await call(s.server.app, "/payments/checkout", { package: "small", wallet: s.ada.account.address });
      expect(down.status).to.equal(503);
      expect(down.json.error?.code).to.equal("chain_unavailable");
      flaky.chain.down = false;
      await s.db.destroy();

      const failing = await withCheckout({
        payments: {
          checkout: () => {
            throw new Error("connect ECONNREFUSED api.stripe.com");
          },
        },
      });
      const log = console.error;
      console.error = (...parts: unknown[]) => logged.push(parts.map(String).join(" "));
      try {
        const answer = await call(failing.server.app, "/payments/checkout", {
          package: "small",
          wallet: failing.ada.account.address,
        });
        expect(answer.status).to.equal(503);
        expect(answer.json.error?.code).to.equal("checkout_unavailable");
      } finally {
        console.error = log;
      }
      expect(logged.join("\n")).to.match(/the checkout of package small failed: .*ECONNREFUSED/);
      await failing.db.destroy();
    });
  });

  describe("the checkout's config", () => {
    const minter = undefined as unknown as Parameters<typeof paymentsOptionsOf>[1]["minter"];
    const env = { PUNCHCARD_RECEIPT_SECRET: BRAND_SECRET, STRIPE_WEBHOOK_SECRET: "whsec_x" };
    const file = { priceList: { small: { points: "500", amount: "499", currency: "eur" } } };

    it("checkoutUrl and returnUrl in the payments file make a hosted checkout", async () => {
      const options = paymentsOptionsOf({ ...file, checkoutUrl: CHECKOUT_URL, returnUrl: RETURN_URL }, { env, minter });
      const url = await options.checkout!({
        packageId: "small",
        points: 500n,
        amount: 499n,
        currency: "eur",
        wallet: zeroAddress,
        program: "31337:0xabc",
      });
      expect(new URL(url).searchParams.get("return")).to.equal(RETURN_URL);
      expect(paymentsOptionsOf(file, { env, minter }).checkout).to.equal(undefined);
    });

    it("refuses a checkoutUrl that is not an http(s) URL", () => {
      expect(() => paymentsOptionsOf({ ...file, checkoutUrl: "javascript:alert(1)" }, { env, minter })).to.throw(
        /checkoutUrl: checkoutUrl must be an http\(s\) URL/,
      );
      expect(() => paymentsOptionsOf({ ...file, returnUrl: "not a url" }, { env, minter })).to.throw(/returnUrl/);
    });
  });

  describe("one store, several programs (migration 0011)", () => {
    it("records the program with each payment, and another program's outbox never takes it", async () => {
      const s = await withCheckout();
      const receiptId = receiptIdOfPayment({ brandSecret: BRAND_SECRET, provider: "stripe", paymentId: "pi_prog_1" });
      // Recorded as the webhook does, without waking the outbox: the credit is still due.
      const recorded = await s.payments.store.recordPayment({
        receiptId,
        provider: "stripe",
        paymentId: "pi_prog_1",
        wallet: s.ada.account.address,
        packageId: "small",
        points: 500n,
        amount: 499n,
        currency: "eur",
      });
      expect(recorded.outcome).to.equal("applied");
      expect((await s.payments.store.receipt(receiptId))?.program).to.equal(programKey(s.program));
      const other = new PaymentStore(paymentTables(s.db), { ...s.program, chainId: 10 });
      expect(await other.due(20)).to.deep.equal([]);
      expect((await s.payments.store.due(20)).map((r) => r.receipt_id)).to.deep.equal([receiptId]);
      await s.db.destroy();
    });

    it("a payment whose metadata names another program is ignored here (its own server credits it), and recorded nowhere", async () => {
      const s = await withCheckout();
      const answer = await postGeneric(s.server.app, {
        id: "ev_other_1",
        type: "payment.succeeded",
        paymentId: "pay_other_1",
        amount: 499,
        currency: "eur",
        wallet: s.ada.account.address,
        package: "small",
        program: "10:0x00000000000000000000000000000000000000aa",
      });
      expect(answer).to.deep.equal({ status: 200, json: { received: true, outcome: "ignored" } });
      const events = await paymentTables(s.db).selectFrom("payment_events").selectAll().execute();
      const receipts = await paymentTables(s.db).selectFrom("payment_receipts").selectAll().execute();
      expect([events.length, receipts.length]).to.deep.equal([0, 0]);
      // The same payment naming this program (as its checkout wrote it) is applied.
      const ours = await postGeneric(s.server.app, {
        id: "ev_other_2",
        type: "payment.succeeded",
        paymentId: "pay_other_2",
        amount: 499,
        currency: "eur",
        wallet: s.ada.account.address,
        package: "small",
        program: programKey(s.program).toUpperCase().replace("0X", "0x"),
      });
      expect(ours.json.outcome).to.equal("applied");
      await s.db.destroy();
    });
  });
});
