// The wallet's price input, for a program whose points have decimals (the demo's have none): nothing is rounded.
import { expect } from "chai";
import i18next from "i18next";
import { MAX_PRICE, parsePrice } from "../src/features/market/text";
import { en } from "../src/i18n/en";

describe("parsePrice (the Market's price input)", () => {
  // The sentences come from the English catalog, as the wallet shows them in English.
  before(() => i18next.init({ lng: "en", resources: { en: { translation: en } }, interpolation: { escapeValue: false } }));

  it("reads a price in the points' smallest unit, trailing zeros allowed", () => {
    expect(parsePrice("12.34", 2, "BEANS")).to.equal(1234n);
    expect(parsePrice(" 12.30 ", 2, "BEANS")).to.equal(1230n);
    expect(parsePrice("12.3400", 2, "BEANS")).to.equal(1234n);
    expect(parsePrice("7", 0, "BEANS")).to.equal(7n);
    expect(parsePrice(MAX_PRICE.toString(), 2, "BEANS")).to.equal(MAX_PRICE * 100n);
  });

  it("refuses, and does not round, an amount finer than the decimals", () => {
    expect(parsePrice("12.345", 2, "BEANS")).to.equal(
      'BEANS are counted to 2 decimal places: "12.345" has more. Nothing was rounded.',
    );
    expect(parsePrice("1.5", 0, "BEANS")).to.equal(
      'BEANS are counted in whole numbers: "1.5" has a fraction. Write a whole number such as 100.',
    );
  });

  it("refuses zero, what is not a number, and a price above the maximum", () => {
    expect(parsePrice("0.00", 2, "BEANS")).to.equal("The price must be more than 0.");
    expect(parsePrice("1e3", 2, "BEANS")).to.equal('"1e3" is not an amount: write a number such as 100.');
    expect(parsePrice("-5", 2, "BEANS")).to.equal('"-5" is not an amount: write a number such as 100.');
    expect(parsePrice(`${MAX_PRICE}.01`, 2, "BEANS")).to.equal(
      `A price can be at most 1,000,000,000 BEANS: "${MAX_PRICE}.01" is more.`,
    );
    expect(parsePrice("1".repeat(29), 0, "BEANS")).to.match(/^A price can be at most 1,000,000,000 BEANS/);
  });
});
