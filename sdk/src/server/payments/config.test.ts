import { expect } from "chai";
import { createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { paymentsOptionsOf } from "./config.js";

const minter = createWalletClient({
  account: privateKeyToAccount(`0x${"11".repeat(32)}`),
  transport: http("http://127.0.0.1:1"),
});
const file = { priceList: { small: { points: "500", amount: 499, currency: "EUR" } }, webhookProvider: "acmepay" };
const env = {
  PUNCHCARD_RECEIPT_SECRET: "r".repeat(32),
  STRIPE_WEBHOOK_SECRET: "whsec_x",
  PUNCHCARD_WEBHOOK_SECRET: "generic-secret",
  PUNCHCARD_SUPPORT_TOKEN: "support",
};

describe("payments: the payments file of punchcard serve", () => {
  it("use: the price list as bigints, the secrets from the environment", () => {
    const options = paymentsOptionsOf(file, { env, minter });
    expect(options.priceList).to.deep.equal({ small: { points: 500n, amount: 499n, currency: "EUR" } });
    expect(options).to.include({
      brandSecret: env.PUNCHCARD_RECEIPT_SECRET,
      stripeWebhookSecret: "whsec_x",
      adminToken: "support",
    });
    expect(options.webhook).to.deep.equal({ provider: "acmepay", secret: "generic-secret" });
  });

  const refusals: [string, unknown, Record<string, string>, RegExp][] = [
    ["no package", { priceList: {} }, env, /priceList must have a package/],
    ["a price of zero", { priceList: { s: { points: "5", amount: 0, currency: "eur" } } }, env, /amount .* above 0/],
    ["a fractional price", { priceList: { s: { points: "5", amount: "4.99", currency: "eur" } } }, env, /whole number/],
    ["a bad currency", { priceList: { s: { points: "5", amount: 1, currency: "euro" } } }, env, /ISO 4217/],
    ["an unknown field (a secret in the file)", { ...file, brandSecret: "x".repeat(40) }, env, /brandSecret|Unrecognized/i],
    ["a generic provider named stripe", { ...file, webhookProvider: "stripe" }, env, /cannot be stripe/],
    ["no receipt secret", file, { ...env, PUNCHCARD_RECEIPT_SECRET: "" }, /PUNCHCARD_RECEIPT_SECRET/],
    ["a short receipt secret", file, { ...env, PUNCHCARD_RECEIPT_SECRET: "short" }, /at least 32/],
    ["a provider without its secret", file, { ...env, PUNCHCARD_WEBHOOK_SECRET: "" }, /needs PUNCHCARD_WEBHOOK_SECRET/],
    ["no webhook at all", { priceList: file.priceList }, { ...env, STRIPE_WEBHOOK_SECRET: "" }, /STRIPE_WEBHOOK_SECRET/],
  ];
  for (const [what, json, environment, message] of refusals)
    it(`abuse: ${what} is refused, naming the field and never a secret`, () => {
      let thrown: unknown;
      try {
        paymentsOptionsOf(json, { env: environment, minter });
      } catch (error) {
        thrown = error;
      }
      expect(thrown, what).to.be.instanceOf(Error);
      const text = (thrown as Error).message;
      expect(text).to.match(message);
      for (const secret of Object.values(environment).filter((v) => v.length > 6)) expect(text).to.not.include(secret);
    });
});
