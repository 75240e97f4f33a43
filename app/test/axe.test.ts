// The browser tests' axe-core check must be able to fail: a page with violations gives them, by impact, and a clean
// page gives none.
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../../test/helpers/chromium";
import { axeViolations, seriousViolations } from "./axe";

describe("axe-core check of the browser tests", function () {
  this.timeout(60_000);
  let browser: Browser;
  let page: Page;

  before(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
  });

  after(async () => {
    await browser?.close();
  });

  it("finds nothing on a page a screen reader can read", async () => {
    await page.setContent(
      `<!doctype html><html lang="en"><head><title>Card</title></head><body><main><h1>Your card</h1><p>25 points</p></main></body></html>`,
    );
    expect(await axeViolations(page)).to.deep.equal([]);
  });

  it("abuse: names each violation with its impact and element, and keeps only the impacts asked for", async () => {
    // An image with no text (critical), a page with no language (serious), text outside any landmark (moderate).
    await page.setContent(
      `<!doctype html><html><head><title>Card</title></head><body><img src="data:,"><p>25 points</p></body></html>`,
    );
    const all = await axeViolations(page);
    expect(all).to.include("critical image-alt: img");
    expect(all).to.include("serious html-has-lang: html");
    expect(all.some((v) => v.startsWith("moderate "))).to.equal(true);
    expect(await seriousViolations(page)).to.have.members(["critical image-alt: img", "serious html-has-lang: html"]);
    expect(await axeViolations(page, ["minor"])).to.deep.equal(all.filter((v) => v.startsWith("minor ")));
  });
});
