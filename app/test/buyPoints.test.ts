// "Buy points" in a real browser, end to end: `npm run app` (scripts/app.ts) with its test checkout, headless
// Chromium as Ada through the developer mode. She picks a package, pays on the test checkout (which sends the
// signed webhook as a provider does), comes back to a pending purchase with the time it becomes spendable, and after
// the chain's clock moves past it, to spendable points; each claim checked against the chain. And the abuse: a
// checkout for a package the price list does not have is refused, and the page says why.
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import { createPublicClient, getAddress, http, type Address, type PublicClient } from "viem";
import { getPointsLifecycle, getProgramInfo, programFromRecord, type DeploymentRecord, type Program } from "@punchcard/sdk";
import { launchChromium } from "../../test/helpers/chromium";
import { buildApp, startApp, stopApp, type StartedApp } from "./startApp";

describe("member web wallet: buy points by card (browser)", function () {
  this.timeout(300_000);
  let app: StartedApp;
  let browser: Browser;
  let chain: PublicClient;
  let program: Program;
  let ada: Address;
  let units: NonNullable<DeploymentRecord["units"]>;

  before(async () => {
    buildApp();
    app = await startApp({ args: ["--sell-points"] });
    const config = (await (await fetch(`${app.appUrl}program.json`)).json()) as {
      record: DeploymentRecord;
      testAccounts: Array<{ name: string; address: Address }>;
    };
    program = programFromRecord(config.record);
    units = config.record.units!;
    ada = getAddress(config.testAccounts.find((a) => a.name === "Ada")!.address);
    chain = createPublicClient({ transport: http(app.rpcUrl) });
    // The demo announced the program's end, and no points are sold during the notice: `--sell-points` withdrew it.
    expect((await getProgramInfo(chain, { program })).lifecycle).to.include({ status: "active", endsAt: null });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await stopApp(app);
  });

  async function buyPage(): Promise<Page> {
    const page = await browser.newPage({ locale: "en-US", timezoneId: "Europe/Berlin" });
    await page.goto(app.appUrl);
    await page.getByRole("button", { name: "Ada (test account)" }).click();
    await page.getByRole("button", { name: "Disconnect" }).waitFor();
    await page.getByRole("link", { name: "Buy points" }).click();
    await page.getByRole("heading", { name: "Buy points" }).waitFor();
    return page;
  }

  it("lists the packages in euro, pays on the test checkout, shows the purchase pending until its release, then spendable", async () => {
    const page = await buyPage();
    const symbol = units.pointsSymbol;
    const buttons = page.getByTestId("package").getByRole("button");
    expect(await buttons.allTextContents()).to.deep.equal([`Buy 500 ${symbol} for €4.99`, `Buy 1,200 ${symbol} for €9.99`]);
    expect(await page.locator("#packages-title").textContent()).to.contain("the points go to Ada.");
    const before = await getPointsLifecycle(chain, { program, member: ada });

    await buttons.nth(1).click();
    await page.waitForURL(/\/checkout\?/);
    expect(await page.getByTestId("checkout-amount").textContent()).to.equal("Pay €9.99 for 1,200 points.");
    await page.getByRole("button", { name: "Pay" }).click();
    await page.waitForURL(/purchase=paid/);
    await page.getByRole("heading", { name: "Buy points" }).waitFor();
    const purchase = page.getByTestId("purchase");
    await purchase
      .filter({ hasText: "pending" })
      .waitFor({ timeout: 60_000 })
      .catch(async (error: Error) => {
        const shown = await purchase.textContent().catch(() => "(no purchase shown)");
        throw new Error(`${error.message}\nshown: ${shown}\nurl: ${page.url()}\napp: ${app.output().slice(-2_000)}`);
      });

    const after = await getPointsLifecycle(chain, { program, member: ada });
    expect(after.balance - before.balance).to.equal(1_200n);
    expect(after.pending - before.pending).to.equal(1_200n);
    // The release the contract keeps, in the member's zone (Berlin: CET in December), to the minute.
    const text = (await purchase.textContent())!;
    expect(text.startsWith(`1,200 ${symbol} are yours and pending: you can spend them from `), text).to.equal(true);
    const { pendingDays } = (await getProgramInfo(chain, { program })).points;
    const latest = await chain.getBlock();
    const release = (Math.floor(Number(latest.timestamp) / 86_400) + pendingDays + 1) * 86_400;
    const berlin = new Date(release * 1000).toLocaleString("en-US", {
      year: "numeric",
      month: "long",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZoneName: "short",
      timeZone: "Europe/Berlin",
    });
    expect(text).to.contain(berlin);

    // The chain's clock moves past the release: the page, reading every second, says the points are spendable.
    await chain.request({ method: "evm_increaseTime", params: [(pendingDays + 1) * 86_400] } as never);
    await chain.request({ method: "evm_mine", params: [] } as never);
    await purchase.filter({ hasText: "spendable now" }).waitFor({ timeout: 30_000 });
    expect(await purchase.textContent()).to.equal(`The 1,200 ${symbol} you bought are spendable now.`);
    const spendable = await getPointsLifecycle(chain, { program, member: ada });
    expect(spendable.pending).to.equal(0n);
    expect(spendable.spendable).to.equal(spendable.balance);
    await page.close();
  });

  it("abuse: a checkout for a package the price list does not have is refused, and the page says why; nothing is paid", async () => {
    const page = await buyPage();
    const before = await getPointsLifecycle(chain, { program, member: ada });
    // The member (or a script in their browser) asks for a package that is not sold.
    await page.route("**/payments/checkout", async (route) => {
      const body = JSON.parse(route.request().postData() ?? "{}") as Record<string, unknown>;
      await route.continue({ postData: JSON.stringify({ ...body, package: "free-million" }) });
    });
    await page.getByTestId("package").getByRole("button").first().click();
    const problem = page.getByTestId("buy-problem");
    await problem.waitFor();
    expect(await problem.textContent()).to.equal(
      "The checkout could not start. The program server refused: This points package is not for sale: choose another one.",
    );
    expect(page.url()).to.not.match(/\/checkout\?/);
    expect((await getPointsLifecycle(chain, { program, member: ada })).balance).to.equal(before.balance);
    await page.close();
  });

  it("cancelled on the checkout: back to the wallet, nothing charged, nothing credited", async () => {
    const page = await buyPage();
    const before = await getPointsLifecycle(chain, { program, member: ada });
    await page.getByTestId("package").getByRole("button").first().click();
    await page.waitForURL(/\/checkout\?/);
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.waitForURL(/purchase=cancelled/);
    await page.getByText("You cancelled the payment: nothing was charged.").waitFor();
    expect((await getPointsLifecycle(chain, { program, member: ada })).balance).to.equal(before.balance);
    await page.close();
  });
});
