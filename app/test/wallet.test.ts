// The member web wallet in a real browser: `npm run app` (scripts/app.ts) started as a child process on free
// ports (a Hardhat node with the demo program, the built app), driven by headless Chromium through the
// developer mode (wagmi's mock connector over the node's unlocked accounts) and an injected EIP-1193 wallet
// that refuses to sign. Every claim the page makes is checked against the chain read with the SDK, every page
// is checked with axe-core, and the last test stops it all with SIGINT, as Ctrl-C does.
import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  erc20Abi,
  getAddress,
  parseEventLogs,
  zeroAddress,
  http,
  publicActions,
  type Address,
  type PublicClient,
} from "viem";
import {
  announceProgramEnd,
  buyStamp,
  cancelProgramEnd,
  createProgramServerClient,
  creditPurchase,
  decodeStampId,
  formatAmount,
  getProgramInfo,
  listStamp,
  marketAbi,
  mintStamps,
  pointsAbi,
  quoteSale,
  rewardPoints,
  stampsAbi,
  type ProgramServerClient,
  getBalances,
  getConsentLink,
  getMemberStamps,
  getOrderStatus,
  getPointsLifecycle,
  hasConsent,
  programFromRecord,
  readLedger,
  receiptIdOf,
  signConsentLink,
  type DeploymentRecord,
  type Program,
  type Purpose,
} from "@punchcard/sdk";
import { LinkStore, UnknownCustomerError } from "@punchcard/sdk/node";
import { launchChromium } from "../../test/helpers/chromium";
import { axeViolations, seriousViolations } from "./axe";
import { buildApp, ROOT, startApp, type StartedApp } from "./startApp";

/** Where the tests' screenshots go (git-ignored); `npm run app:screenshots` also copies two into docs/. */
const SHOTS = path.join(ROOT, "app", "screenshots");
const README_SHOTS = path.join(ROOT, "docs", "screenshots");
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

/** A chain time (Unix seconds) as the wallet writes it: the UTC day in words and the time to the minute. */
function utcTime(seconds: bigint): string {
  const date = new Date(Number(seconds) * 1000);
  const [day, time] = [date.toISOString().slice(0, 10), date.toISOString().slice(11, 16)];
  const [year, month, dayOfMonth] = day.split("-").map(Number) as [number, number, number];
  const months = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
  ];
  return `${months[month - 1]} ${dayOfMonth}, ${year} at ${time} UTC`;
}

/** Saves the page at desktop and phone size (the phone one also checks nothing overflows sideways). */
async function screenshots(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: path.join(SHOTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${name} scrolls sideways at 390 px`).to.be.at.most(0);
  await page.screenshot({ path: path.join(SHOTS, `${name}-phone.png`), fullPage: true });
  if (process.env.UPDATE_README_SCREENSHOTS && (name === "collection" || name === "privacy" || name === "market")) {
    fs.mkdirSync(README_SHOTS, { recursive: true });
    fs.copyFileSync(path.join(SHOTS, `${name}-desktop.png`), path.join(README_SHOTS, `${name}.png`));
  }
  await page.setViewportSize(DESKTOP);
}

describe("member web wallet (browser)", function () {
  this.timeout(300_000);
  let app: StartedApp;
  let linkStoreFile: string;
  let browser: Browser;
  let chain: PublicClient;
  let program: Program;
  let units: NonNullable<DeploymentRecord["units"]>;
  let accounts: Map<string, Address>;
  let serverUrl: string;
  let brandName: string;
  let deployer: Address;
  let server: ProgramServerClient;
  let perkNames: Array<{ id: string; name?: string }>;

  before(async () => {
    buildApp();
    app = await startApp({ needLinkStore: true });
    linkStoreFile = app.linkStoreFile!;
    const config = (await (await fetch(`${app.appUrl}program.json`)).json()) as {
      serverUrl: string;
      perks: Array<{ id: string; name?: string }>;
      brand: string;
      record: DeploymentRecord;
      testAccounts: Array<{ name: string; address: Address }>;
    };
    program = programFromRecord(config.record);
    units = config.record.units!;
    accounts = new Map(config.testAccounts.map((a) => [a.name, a.address]));
    serverUrl = config.serverUrl;
    perkNames = config.perks;
    brandName = config.brand;
    deployer = config.record.deployer;
    server = createProgramServerClient(serverUrl);
    chain = createPublicClient({ transport: http(app.rpcUrl) });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    if (app && app.child.exitCode === null) app.child.kill("SIGKILL");
  });

  /** A page in a fresh browser profile (the app remembers the last wallet per profile). */
  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true });
    return context.newPage();
  }

  /**
   * An injected EIP-1193 wallet holding `account`: it forwards reads to the node and refuses the `refused` methods
   * as a wallet does when its user clicks Reject (code 4001).
   */
  async function injectWallet(page: Page, account: Address, refused: string[]): Promise<void> {
    await page.addInitScript(
      ({ account, rpcUrl, chainId, refused }) => {
        const listeners = new Map<string, Array<(...args: unknown[]) => void>>();
        (window as unknown as { ethereum: unknown }).ethereum = {
          isMetaMask: false,
          async request({ method, params }: { method: string; params?: unknown[] }) {
            if (method === "eth_requestAccounts" || method === "eth_accounts") return [account];
            if (method === "eth_chainId") return chainId;
            if (refused.includes(method)) throw Object.assign(new Error("User rejected the request."), { code: 4001 });
            if (method.startsWith("wallet_")) return null;
            const response = await fetch(rpcUrl, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: params ?? [] }),
            });
            const body = (await response.json()) as {
              result?: unknown;
              error?: { code: number; message: string; data?: unknown };
            };
            if (body.error) throw Object.assign(new Error(body.error.message), body.error);
            return body.result;
          },
          on(event: string, listener: (...args: unknown[]) => void) {
            listeners.set(event, [...(listeners.get(event) ?? []), listener]);
          },
          removeListener() {},
        };
      },
      { account, rpcUrl: app.rpcUrl, chainId: `0x${program.chainId.toString(16)}`, refused },
    );
  }

  async function connectAs(name: string): Promise<Page> {
    const page = await newPage();
    await page.goto(app.appUrl);
    await page.getByRole("button", { name: `${name} (test account)` }).click();
    await page.getByRole("button", { name: "Disconnect" }).waitFor();
    return page;
  }

  it("connects as a member and shows the collection the chain holds: stamps, points, tier, perks", async () => {
    const ada = accounts.get("Ada")!;
    const page = await connectAs("Ada");
    await page.getByRole("heading", { name: "Your collection" }).waitFor();
    const stamps = await getMemberStamps(chain, { program, member: ada });
    const { points } = await getBalances(chain, { program, member: ada });
    expect(stamps.length).to.be.greaterThan(0);
    await page.getByTestId("stamp").first().waitFor();
    expect(await page.getByTestId("stamp").count()).to.equal(stamps.length);
    expect(await page.getByTestId("points").textContent()).to.equal(
      formatAmount(points, units.pointsDecimals, units.pointsSymbol),
    );
    // Ada completed the Five Visits journey: a soulbound stamp, edition 1 of 1,000,000.
    const soulbound = page.getByTestId("stamp").filter({ hasText: "Five Visits Journey" });
    expect(await soulbound.textContent())
      .to.contain("#1 of 1,000,000")
      .and.contain("Soulbound");
    expect(await page.getByTestId("tier").textContent()).to.not.equal("no tier yet");
    // The demo announced the program's end: the page says when, and what members keep.
    const { lifecycle } = await getProgramInfo(chain, { program });
    expect(lifecycle.status).to.equal("ending");
    expect(await page.getByTestId("program-end").textContent()).to.match(
      new RegExp(`^This program ends on ${utcTime(lifecycle.endsAt!)}\\. Until then you can spend your points`),
    );
    expect(await page.getByRole("heading", { name: "Unlocked perks" }).isVisible()).to.equal(true);
    expect(await page.locator(".perks li").count()).to.be.greaterThan(0);
    // Perks by the config's names ("Bag of Beans"), never their ids ("bean-bag") or words made from them.
    const names = perkNames.map((p) => p.name);
    for (const shown of await page.locator(".perks li strong").allTextContents()) expect(names).to.include(shown);
    expect(await seriousViolations(page)).to.deep.equal([]);
    await screenshots(page, "collection");
    await page.close();
  });

  it("History tells each thing that happened once, from the member's side, with names, units and the time zone", async () => {
    const ada = accounts.get("Ada")!;
    const money = (n: bigint) => formatAmount(n, units.pointsDecimals, units.pointsSymbol);
    const page = await connectAs("Ada");
    await page.getByRole("link", { name: "History" }).click();
    await page.getByTestId("entry").first().waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal("main");
    const mine = (await readLedger(chain, { program })).filter(
      (e) => (e.actor && getAddress(e.actor) === ada) || (e.counterparty && getAddress(e.counterparty) === ada),
    );
    // One row per transaction: a reward's "rewarded" and "issued" entries are one event, told once.
    const rows = page.getByTestId("entry");
    const count = await rows.count();
    const links = await rows.locator("details a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    expect(new Set(links).size, "no transaction twice").to.equal(count);
    expect(count).to.be.at.most(new Set(mine.map((e) => e.txHash)).size);
    const sentences = await rows.locator("td:nth-child(2)").allTextContents();
    for (const sentence of sentences) {
      expect(sentence, "no hex, no code name").to.not.match(/0x[0-9a-f]{4}|[a-z]\.[a-z]|Points (rewarded|issued)/i);
      expect(sentence).to.match(/^[A-Z0-9].*\.$/);
    }
    // The brand's reward, with its direction and unit.
    const reward = mine.find((e) => e.kind === "points.rewarded")!;
    const rewardRow = rows.filter({ has: page.locator(`a[href="#/tx/${reward.txHash}"]`) });
    expect(await rewardRow.locator("td:nth-child(2)").textContent()).to.match(
      new RegExp(`^${brandName} gave you ${money(reward.amount!)}`),
    );
    expect(await rewardRow.getByTestId("entry-points").textContent()).to.equal(`+${money(reward.amount!)}`);
    // Ada's sale in the demo: to whom, for what, what she received and what went to the brand.
    const sale = mine.find(
      (e) =>
        ["order.filled", "offer.accepted", "orders.matched"].includes(e.kind) &&
        e.counterparty &&
        getAddress(e.counterparty) === ada,
    )!;
    const saleRow = rows.filter({ has: page.locator(`a[href="#/tx/${sale.txHash}"]`) });
    const { seriesId, edition } = decodeStampId(sale.tokenId!);
    const series = (await getProgramInfo(chain, { program })).series.find((s) => s.seriesId === seriesId)!;
    expect(await saleRow.locator("td:nth-child(2)").textContent()).to.equal(
      `You sold ${series.name} #${edition.toLocaleString("en-US")} to Ben for ${money(sale.amount!)}: you received ${money(sale.amount! - sale.royalty! - sale.fee!)}; ${money(sale.royalty!)} went to ${brandName}${sale.fee! > 0n ? ` and ${money(sale.fee!)} to the market` : ""}.`,
    );
    expect(await rows.first().locator("time").textContent()).to.match(/(UTC|GMT)/);
    expect(await seriousViolations(page)).to.deep.equal([]);
    await screenshots(page, "history");
    const first = rows.first();
    await first.getByText("Details").click();
    const href = (await first.locator("details a").getAttribute("href"))!;
    const newest = mine.find((e) => href.endsWith(e.txHash))!;
    await first.locator("details a").click();
    await page.getByText("Succeeded").waitFor();
    // When it happened, with the zone; the block (with the hash, the addresses and the gas) only under Details.
    expect(await page.locator("dd").nth(1).textContent()).to.match(/(UTC|GMT)/);
    expect(await page.locator("details dd").nth(1).textContent()).to.equal(newest.blockNumber.toLocaleString("en-US"));
    await page.close();
  });

  it("Privacy: one click turns a purpose off, and the registry says so; export downloads what the chain holds", async () => {
    const ben = accounts.get("Ben")!;
    expect(await hasConsent(chain, { program, wallet: ben, purpose: "analytics" })).to.equal(true);
    const page = await connectAs("Ben");
    await page.getByRole("link", { name: "Privacy" }).click();
    const analytics = page.getByRole("switch", { name: "Analytics" });
    await analytics.waitFor();
    expect(await analytics.getAttribute("aria-checked")).to.equal("true");
    expect(await page.getByTestId("guardian").textContent()).to.contain("None");
    expect(await seriousViolations(page)).to.deep.equal([]);
    await screenshots(page, "privacy");
    await analytics.focus();
    await page.keyboard.press("Enter");
    await page.getByText("Stop analytics: confirmed").waitFor();
    expect(await hasConsent(chain, { program, wallet: ben, purpose: "analytics" })).to.equal(false);
    expect(await analytics.getAttribute("aria-checked")).to.equal("false");
    expect((await getConsentLink(chain, { program, wallet: ben }))!.purposes).to.deep.equal(["rewards", "marketing"]);

    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export my data" }).click();
    const file = await (await download).path();
    const data = JSON.parse(fs.readFileSync(file, "utf8")) as {
      format: string;
      wallet: string;
      link: { purposes: string[] };
      balances: { points: string };
      ledger: Array<{ kind: string }>;
    };
    expect(data.format).to.equal("punchcard/wallet-data@1");
    expect(data.wallet).to.equal(ben);
    expect(data.link.purposes).to.deep.equal(["rewards", "marketing"]);
    expect(data.balances.points).to.equal((await getBalances(chain, { program, member: ben })).points.toString());
    expect(data.ledger.some((e) => e.kind === "consent.changed")).to.equal(true);
    await page.getByText("Export my data: confirmed").waitFor();
    // The readable copy beside it: the brand, units, sentences; no ledger code names.
    const readable = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export a readable copy" }).click();
    const text = fs.readFileSync((await (await readable).path())!, "utf8");
    const benPoints = (await getBalances(chain, { program, member: ben })).points;
    expect(text)
      .to.contain(`Your data in the ${brandName} loyalty program`)
      .and.contain(`Points: ${formatAmount(benPoints, units.pointsDecimals, units.pointsSymbol)}`)
      .and.contain("You allow: rewards and marketing.")
      .and.contain(`${brandName} gave you`);
    expect(text).to.not.match(/consent\.|points\.|orders?\./);
    await page.close();
  });

  it("Privacy: forget me, after a confirmation, has the brand erase its record and unlink the wallet; the page says what was erased and what stays public", async () => {
    const ben = accounts.get("Ben")!;
    expect(await storeHolds("cust-0002"), "the demo linked Ben as cust-0002").to.equal(true);
    const sent = await chain.getTransactionCount({ address: ben });
    const page = await connectAs("Ben");
    await page.goto(`${app.appUrl}#/privacy`);
    await page.getByRole("button", { name: "Forget me" }).click();
    await page.getByRole("button", { name: "Cancel" }).click();
    expect(await getConsentLink(chain, { program, wallet: ben })).to.not.equal(null);
    await page.getByRole("button", { name: "Forget me" }).click();
    await page.getByRole("button", { name: "Yes, forget me" }).click();
    await page.getByText("Forget me: confirmed").waitFor({ timeout: 60_000 });
    expect(await getConsentLink(chain, { program, wallet: ben })).to.equal(null);
    expect(await storeHolds("cust-0002"), "the brand's store no longer has Ben").to.equal(false);
    expect(await chain.getTransactionCount({ address: ben }), "the brand unlinked, not Ben").to.equal(sent);
    // What the page shows (the server's own paragraph, with the wallet's address, is under "Details", closed).
    const answer = page.getByTestId("forget-answer");
    expect(await answer.innerText())
      .to.contain(`${brandName} erased:`)
      .and.contain("your customer id")
      .and.contain(`${brandName} also unlinked this wallet on the chain`)
      .and.contain("What stays public, and why")
      .and.contain("a blockchain keeps everything it recorded")
      .and.not.contain(ben);
    expect(await page.getByTestId("link-status").textContent()).to.contain("not linked");
    expect(await page.getByRole("switch").count()).to.equal(0);
    await page.close();
  });

  it("Privacy, bad path: a wallet that refuses to sign shows why, and nothing changes", async () => {
    const ada = accounts.get("Ada")!;
    const page = await newPage();
    // An injected EIP-1193 wallet holding Ada's account that forwards reads to the node and refuses every transaction.
    await injectWallet(page, ada, ["eth_sendTransaction"]);
    await page.goto(`${app.appUrl}#/privacy`);
    await page.getByRole("button", { name: "Connect a browser wallet" }).click();
    const rewards = page.getByRole("switch", { name: "Rewards" });
    await rewards.waitFor();
    const before = await getConsentLink(chain, { program, wallet: ada });
    await rewards.click();
    await page.getByText("Stop rewards: failed. You rejected the request in your wallet").waitFor();
    expect(await getConsentLink(chain, { program, wallet: ada })).to.deep.equal(before);
    expect(await rewards.getAttribute("aria-checked")).to.equal("true");
    expect(await rewards.isEnabled()).to.equal(true);
    expect(await seriousViolations(page)).to.deep.equal([]);
    await page.close();
  });

  it("Privacy for a minor: the guardian is shown, and a purpose only the guardian may approve fails, told in the member's words", async () => {
    const fay = accounts.get("Fay")!;
    const guardian = accounts.get("Cleo's parent")!;
    const page = await connectAs("Fay");
    await page.goto(`${app.appUrl}#/privacy`);
    const guardianText = page.getByTestId("guardian");
    await guardianText.waitFor();
    expect(await guardianText.textContent())
      .to.contain("minor")
      .and.contain("Cleo's parent")
      .and.contain("must also approve marketing and partner sharing")
      .and.not.contain(guardian);
    const before = await getConsentLink(chain, { program, wallet: fay });
    expect(before!.minor).to.equal(true);
    await page.getByRole("switch", { name: "Partner sharing" }).click();
    await page.getByText("Allow partner sharing: failed.").waitFor();
    // The contract's ConsentGuardianRequired, in the wallet's words: no address, no error name.
    expect(await page.getByRole("status").filter({ hasText: "failed" }).textContent())
      .to.contain("Your guardian must approve this first: ask them from the Privacy page.")
      .and.not.contain(fay);
    expect(await getConsentLink(chain, { program, wallet: fay })).to.deep.equal(before);
    expect(await page.getByRole("switch", { name: "Partner sharing" }).getAttribute("aria-checked")).to.equal("false");
    expect(await seriousViolations(page)).to.deep.equal([]);
    await page.close();
  });

  it("Privacy for a guardian: Cleo's parent looks up Fay and withdraws marketing; the brand's relayer sends it", async () => {
    const fay = accounts.get("Fay")!;
    const guardian = accounts.get("Cleo's parent")!;
    expect(await hasConsent(chain, { program, wallet: fay, purpose: "marketing" })).to.equal(true);
    const sent = await chain.getTransactionCount({ address: guardian });
    const page = await connectAs("Cleo's parent");
    await page.goto(`${app.appUrl}#/privacy`);
    await page.getByLabel("The minor's wallet").fill(accounts.get("Ada")!);
    await page.getByRole("button", { name: "Look up" }).click();
    expect(await page.getByTestId("ward").textContent()).to.contain("You are not the guardian");
    await page.getByLabel("The minor's wallet").fill(fay);
    await page.getByRole("button", { name: "Look up" }).click();
    const ward = page.getByTestId("ward");
    await ward.getByRole("button", { name: "Withdraw marketing" }).waitFor();
    expect(await ward.textContent())
      .to.contain("linked as a minor")
      .and.contain(`Sponsored by ${brandName}`);
    expect(await seriousViolations(page)).to.deep.equal([]);
    await ward.getByRole("button", { name: "Withdraw marketing" }).click();
    await page.getByText(`Withdraw marketing (sponsored by ${brandName}): confirmed`).waitFor({ timeout: 60_000 });
    expect(await hasConsent(chain, { program, wallet: fay, purpose: "marketing" })).to.equal(false);
    expect(await hasConsent(chain, { program, wallet: fay, purpose: "rewards" })).to.equal(true);
    expect(await chain.getTransactionCount({ address: guardian }), "the guardian sent nothing").to.equal(sent);
    await page.close();
  });

  it("Privacy, a minor asks her guardian: Fay asks Cleo's parent for marketing, who sees it in words and approves (sponsored); partner sharing is declined; another wallet sees nothing", async () => {
    const fay = accounts.get("Fay")!;
    const guardian = accounts.get("Cleo's parent")!;
    expect(await hasConsent(chain, { program, wallet: fay, purpose: "marketing" }), "withdrawn by the test before").to.equal(
      false,
    );
    const sent = {
      fay: await chain.getTransactionCount({ address: fay }),
      guardian: await chain.getTransactionCount({ address: guardian }),
    };
    const minor = await connectAs("Fay");
    await minor.goto(`${app.appUrl}#/privacy`);
    const ask = minor.getByTestId("ask-guardian");
    await ask.getByRole("button", { name: "Ask Cleo's parent to allow marketing" }).click();
    await minor.getByText("Ask Cleo's parent to allow marketing: confirmed").waitFor({ timeout: 60_000 });
    expect(await ask.textContent())
      .to.contain("Cleo's parent sees it on their Privacy page")
      .and.not.contain(guardian);
    expect(await seriousViolations(minor)).to.deep.equal([]);

    // Someone who is not Fay's guardian sees nothing of it.
    const stranger = await connectAs("Ada");
    await stranger.goto(`${app.appUrl}#/privacy`);
    await stranger.getByRole("button", { name: "Show requests" }).click();
    await stranger.getByTestId("guardian-requests").waitFor();
    expect(await stranger.getByTestId("guardian-requests").textContent()).to.contain("No request is waiting for you");
    await stranger.close();

    const page = await connectAs("Cleo's parent");
    await page.goto(`${app.appUrl}#/privacy`);
    await page.getByRole("button", { name: "Show requests" }).click();
    const requests = page.getByTestId("guardian-requests");
    await requests.getByText("Fay's card asks you to allow marketing.").waitFor();
    expect(await requests.textContent()).to.not.match(/0x[0-9a-fA-F]{6}/);
    expect(await seriousViolations(page)).to.deep.equal([]);
    await requests.getByRole("button", { name: "Approve" }).click();
    await page.getByText(`Allow marketing for Fay (sponsored by ${brandName}): confirmed`, { exact: false }).waitFor({
      timeout: 60_000,
    });
    expect(await hasConsent(chain, { program, wallet: fay, purpose: "marketing" })).to.equal(true);
    await requests.getByText("No request is waiting for you").waitFor();

    // Partner sharing: asked, then declined; Fay reads that it was declined, and nothing changed on the chain.
    await ask.getByRole("button", { name: "Ask Cleo's parent to allow partner sharing" }).click();
    await minor.getByText("Ask Cleo's parent to allow partner sharing: confirmed").waitFor({ timeout: 60_000 });
    await page.getByRole("button", { name: "Read again" }).click();
    await requests.getByText("Fay's card asks you to allow partner sharing.").waitFor();
    await requests.getByRole("button", { name: "Decline" }).click();
    await page.getByText("Decline partner sharing for Fay: confirmed").waitFor({ timeout: 60_000 });
    await ask.getByRole("button", { name: "See my requests" }).click();
    await minor.getByTestId("sent-requests").getByText("Cleo's parent declined partner sharing.").waitFor();
    expect(await minor.getByTestId("sent-requests").textContent()).to.contain("Cleo's parent allowed marketing.");
    expect(await hasConsent(chain, { program, wallet: fay, purpose: "partnerSharing" })).to.equal(false);
    expect(await chain.getTransactionCount({ address: fay }), "Fay only signed").to.equal(sent.fay);
    expect(await chain.getTransactionCount({ address: guardian }), "the guardian only signed").to.equal(sent.guardian);
    await page.close();
    await minor.close();
  });

  it("Languages: the wallet follows the browser (Turkish), switches to Persian right to left and remembers it; axe finds nothing at any impact in all three", async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: "tr-TR" });
    const page = await context.newPage();
    const html = () => page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]);
    await page.goto(app.appUrl);
    await page.getByRole("heading", { name: "Cüzdanınızı bağlayın" }).waitFor();
    expect(await html()).to.deep.equal(["tr", "ltr"]);
    // Developer mode's account in Turkish too (it was "Ben (test account)" in every language).
    await page.getByRole("button", { name: "Ben (deneme hesabı)" }).click();
    await page.getByRole("button", { name: "Bağlantıyı kes" }).waitFor();
    const visit = async (history: string, privacy: string) => {
      await page.goto(`${app.appUrl}#/history`);
      await page.getByRole("heading", { name: history }).waitFor();
      await page.getByTestId("entry").first().waitFor();
      expect(await axeViolations(page), `History (${history})`).to.deep.equal([]);
      await page.goto(`${app.appUrl}#/privacy`);
      await page.getByRole("heading", { name: privacy }).waitFor();
      await page.getByRole("heading", { level: 2 }).first().waitFor();
      expect(await axeViolations(page), `Privacy (${privacy})`).to.deep.equal([]);
    };
    await visit("Geçmişiniz", "Gizliliğiniz");
    await page.goto(`${app.appUrl}#/history`);
    const sentences = await page.getByTestId("entry").locator("td:nth-child(2)").allTextContents();
    expect(
      sentences.some((s) => s.startsWith(`${brandName} size `) && s.includes(" verdi")),
      sentences.join("\n"),
    ).to.equal(true);

    // Persian: right to left, Persian digits, and the choice outlives a reload.
    await page.getByLabel("Dil").selectOption("fa");
    await page.getByRole("heading", { name: "تاریخچهٔ شما" }).waitFor();
    expect(await html()).to.deep.equal(["fa", "rtl"]);
    const amounts = (await page.getByTestId("entry-points").allTextContents()).filter((text) => text !== "");
    expect(amounts[0], "amounts in Persian digits, with the unit").to.match(new RegExp(`^[+−][۰-۹٬]+ ${units.pointsSymbol}$`));
    await page.reload();
    await page.getByRole("heading", { name: "تاریخچهٔ شما" }).waitFor();
    await visit("تاریخچهٔ شما", "حریم خصوصی شما");
    await screenshots(page, "privacy-fa");

    await page.getByLabel("زبان").selectOption("en");
    await visit("Your history", "Your privacy");
    expect(await html()).to.deep.equal(["en", "ltr"]);
    await context.close();
  });

  for (const [title, hash, heading, what] of [
    ["Collection", "#/collection", "Your collection", "your collection"],
    ["History", "#/history", "Your history", "your history"],
  ] as const) {
    it(`${title}, bad path: with the chain down it says so, and Try again recovers once the chain is back`, async () => {
      const page = await connectAs("Ada");
      await page.goto(`${app.appUrl}${hash}`);
      await page.getByRole("heading", { name: heading }).waitFor();
      await page.route(`${app.rpcUrl}/**`, (route) => route.abort("connectionrefused"));
      await page.route(app.rpcUrl, (route) => route.abort("connectionrefused"));
      await page.reload();
      const alert = page.getByRole("alert");
      await alert.waitFor({ timeout: 15_000 }).catch(async (error: Error) => {
        throw new Error(`${error.message}\nThe page said: ${await page.locator("body").innerText()}`);
      });
      expect(await alert.textContent())
        .to.contain(`Could not read ${what}`)
        .and.contain("The chain could not be reached");
      expect(await page.getByRole("heading", { name: heading }).count()).to.equal(0);
      expect(await seriousViolations(page)).to.deep.equal([]);
      await page.unrouteAll();
      await page.getByRole("button", { name: "Try again" }).click();
      await page.getByRole("heading", { name: heading }).waitFor();
      await page.close();
    });
  }

  /** A wallet client of a test account: the node signs for it (as the developer mode does). */
  const walletOf = (address: Address) =>
    createWalletClient({
      account: address,
      chain: defineChain({
        id: program.chainId,
        name: "local",
        nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
        rpcUrls: { default: { http: [app.rpcUrl] } },
      }),
      transport: http(app.rpcUrl),
    }).extend(publicActions);
  const pointsOf = (member: Address) =>
    chain.readContract({ address: program.points, abi: erc20Abi, functionName: "balanceOf", args: [member] });
  /** The brand's link store the program server serves, opened by the test as the brand's backend would. */
  async function withLinkStore<T>(use: (store: LinkStore) => Promise<T>): Promise<T> {
    const store = await LinkStore.open(linkStoreFile, { program, brand: walletOf(accounts.get("backend")!) });
    try {
      return await use(store);
    } finally {
      await store.close();
    }
  }
  /** Whether the brand's link store still holds a record of the customer. */
  const storeHolds = (customerId: string) =>
    withLinkStore(async (store) => {
      try {
        await store.exportMemberData({ customerId });
        return true;
      } catch (error) {
        if (error instanceof UnknownCustomerError) return false;
        throw error;
      }
    });
  /**
   * Links `member` as the brand's backend does, in the store the program server serves: the member signs the
   * consent, the backend submits it.
   */
  async function linkByBrand(member: Address, customerId: string, purposes: Purpose[]): Promise<void> {
    await withLinkStore(async (store) => {
      const { commitment } = await store.prepareLink({ customerId, wallet: member });
      await store.link({ customerId, consent: await signConsentLink(walletOf(member), { program, commitment, purposes }) });
    });
  }
  /** A stamp as the wallet names it: "Autumn Cup #6 of 100". */
  async function stampName(tokenId: bigint): Promise<string> {
    const { seriesId, edition } = decodeStampId(tokenId);
    const series = (await getProgramInfo(chain, { program })).series.find((s) => s.seriesId === seriesId)!;
    return `${series.name} #${edition.toLocaleString("en-US")} of ${series.maxSupply.toLocaleString("en-US")}`;
  }
  /** Who receives the brand's royalty on a sale of this stamp at this price (the Stamps contract's answer). */
  async function royaltyReceiverOf(tokenId: bigint, price: bigint): Promise<Address> {
    const [receiver] = await chain.readContract({
      address: program.stamps,
      abi: stampsAbi,
      functionName: "royaltyInfo",
      args: [tokenId, price],
    });
    return receiver;
  }

  /**
   * The relayer's transaction, as the page's confirmed message links it, and its Points transfers to the brand's
   * royalty receiver: each royalty paid, and what expired. Receiving points also settles the receiver's own expired
   * points (a burn in the same transaction), so its balance moves by the royalty less what expired.
   */
  async function linkedTrade(page: Page, receiver: Address) {
    const href = await page.locator(".message.confirmed a").getAttribute("href");
    const hash = /#\/tx\/(0x[0-9a-f]{64})$/.exec(href ?? "")?.[1] as `0x${string}` | undefined;
    expect(hash, "the confirmed message links the relayer's transaction").to.be.a("string");
    const receipt = await chain.getTransactionReceipt({ hash: hash! });
    const transfers = parseEventLogs({ abi: erc20Abi, logs: receipt.logs, eventName: "Transfer" }).filter(
      (l) => l.address.toLowerCase() === program.points.toLowerCase(),
    );
    return {
      receipt,
      royaltyPaid: transfers.filter((l) => l.args.to === receiver && l.args.from !== zeroAddress).map((l) => l.args.value),
      expired: transfers
        .filter((l) => l.args.from === receiver && l.args.to === zeroAddress)
        .reduce((sum, l) => sum + l.args.value, 0n),
    };
  }

  /** A stamp of a tradable series that `member` holds and has not listed yet. */
  async function tradableStampOf(member: Address, skip: bigint[] = []): Promise<bigint> {
    const soulbound = new Set(
      (await getProgramInfo(chain, { program })).series.filter((s) => s.soulbound).map((s) => s.seriesId),
    );
    const stamp = (await getMemberStamps(chain, { program, member })).find(
      (s) => !soulbound.has(s.seriesId) && !skip.includes(s.tokenId),
    );
    if (!stamp) throw new Error(`${member} holds no tradable stamp`);
    return stamp.tokenId;
  }

  it("Market: Ada lists a stamp; Hal, with no native coin, finds it and buys it through the relayer, balances moving to the wei", async () => {
    const ada = accounts.get("Ada")!;
    const hal = accounts.get("Hal")!;
    expect(await chain.getBalance({ address: hal }), "Hal holds no native coin").to.equal(0n);
    const tokenId = await tradableStampOf(ada);
    const price = 40n * 10n ** BigInt(units.pointsDecimals);
    const quote = await quoteSale(chain, { program, tokenId, price, currency: program.points });
    const money = (n: bigint) => formatAmount(n, units.pointsDecimals, units.pointsSymbol);

    // Ada (who holds coin) lists it: the page shows the split before she signs.
    const seller = await connectAs("Ada");
    await seller.getByRole("link", { name: "Market" }).click();
    await seller.getByLabel("Stamp", { exact: true }).selectOption(tokenId.toString());
    await seller.getByLabel(`Price (${units.pointsSymbol})`).fill("40");
    await seller.getByRole("button", { name: "Review the listing" }).click();
    const sellQuote = seller.getByRole("group", { name: "Confirm the listing" });
    await sellQuote.waitFor();
    expect(await sellQuote.getByTestId("royalty").textContent()).to.equal(money(quote.royaltyAmount));
    expect(await sellQuote.getByTestId("seller-amount").textContent()).to.equal(money(quote.sellerAmount));
    await seller.getByRole("button", { name: "Sign and post the listing" }).click();
    await seller.getByText(`List ${await stampName(tokenId)} for ${money(price)}: confirmed`).waitFor({ timeout: 60_000 });
    const posted = (await server.ordersOf(ada)).orders.find((o) => o.kind === "listing" && o.signed.order.tokenId === tokenId);
    expect(posted?.status, "the listing is in the book").to.equal("open");
    expect(await seller.getByTestId("my-order").count()).to.be.greaterThan(0);
    await seller.close();

    // Hal finds it on the Market page, sponsored by the brand, and sees the brand's royalty before confirming.
    const page = await connectAs("Hal");
    await page.goto(`${app.appUrl}#/market`);
    expect(await page.getByTestId("gas-note").textContent()).to.contain(`Sponsored by ${brandName}`);
    const row = page.locator(`[data-testid="listing"][data-token="${tokenId}"]`);
    await row.waitFor();
    expect(await row.textContent())
      .to.contain(money(price))
      .and.contain("Ada");
    await row.getByRole("button").click();
    const confirm = page.getByRole("group", { name: "Confirm the purchase" });
    await confirm.waitFor();
    expect(await confirm.getByTestId("royalty").textContent()).to.equal(money(quote.royaltyAmount));
    expect(await confirm.getByTestId("fee").textContent()).to.equal(money(quote.fee));
    expect(await confirm.textContent()).to.contain(`Sponsored by ${brandName}`);
    expect(await seriousViolations(page)).to.deep.equal([]);
    await screenshots(page, "market");

    const receiver = await royaltyReceiverOf(tokenId, price);
    const before = await Promise.all([ada, hal, receiver].map(pointsOf));
    await confirm.getByRole("button", { name: "Confirm purchase" }).click();
    await page.getByText(/Buy .*: confirmed in block/).waitFor({ timeout: 60_000 });
    const after = await Promise.all([ada, hal, receiver].map(pointsOf));
    const { receipt, royaltyPaid, expired } = await linkedTrade(page, receiver);
    expect(receipt.from, "the relayer sent it").to.not.equal(hal.toLowerCase());
    expect(royaltyPaid, "the brand's royalty, paid once").to.deep.equal([quote.royaltyAmount]);
    expect(
      after.map((b, i) => b - before[i]!),
      "seller, buyer, the brand's royalty receiver",
    ).to.deep.equal([quote.sellerAmount, -price, quote.royaltyAmount - expired]);
    expect(quote.sellerAmount + quote.royaltyAmount + quote.fee).to.equal(price);
    expect(
      await chain.readContract({ address: program.stamps, abi: stampsAbi, functionName: "ownerOf", args: [tokenId] }),
    ).to.equal(hal);
    expect(await chain.getBalance({ address: hal }), "Hal still holds no native coin").to.equal(0n);
    expect(await chain.getTransactionCount({ address: hal }), "Hal sent no transaction").to.equal(0);
    await page.close();
  });

  it("Market, bad path: a listing whose stamp moved after it was posted fails with a sentence, and the page goes on working", async () => {
    const ada = accounts.get("Ada")!;
    const ben = accounts.get("Ben")!;
    const hal = accounts.get("Hal")!;
    const adaWallet = walletOf(ada);
    const tokenId = await tradableStampOf(ada);
    const stale = await listStamp(adaWallet, { program, tokenId, price: 30n, currency: program.points });
    await server.postOrder({ listing: stale });
    const page = await connectAs("Hal");
    await page.goto(`${app.appUrl}#/market`);
    const row = page.locator(`[data-testid="listing"][data-token="${tokenId}"]`);
    await row.waitFor();
    // The stamp moves: Ada sells it to Ben through another listing, which Ben fills himself (with points the
    // brand's backend rewards him first).
    await rewardPoints(walletOf(accounts.get("backend")!), { program, reason: "test", rewards: [{ member: ben, amount: 35n }] });
    const other = await listStamp(adaWallet, { program, tokenId, price: 35n, currency: program.points });
    await buyStamp(walletOf(ben), { program, listing: other });
    const halPoints = await pointsOf(hal);
    await row.getByRole("button").click();
    await page.getByRole("button", { name: "Confirm purchase" }).click();
    const failed = page.getByText(/Buy .*: failed\./);
    await failed.waitFor({ timeout: 60_000 });
    const said = (await failed.textContent()) ?? "";
    // The program server names the Market's error (MarketStaleOrder, in its would_revert): the member reads its sentence.
    expect(said, said).to.contain("This stamp has changed hands since the order was made: it cannot be filled.");
    expect(await pointsOf(hal)).to.equal(halPoints);
    expect(
      await chain.readContract({ address: program.stamps, abi: stampsAbi, functionName: "ownerOf", args: [tokenId] }),
    ).to.equal(ben);
    // Nothing broke: the page reads the book again, and the stale listing is gone from it.
    await page.getByRole("heading", { name: "For sale" }).waitFor();
    await page.locator(`[data-testid="listing"][data-token="${tokenId}"]`).waitFor({ state: "detached", timeout: 30_000 });
    expect(await seriousViolations(page)).to.deep.equal([]);
    await page.close();
  });

  it("Market, bad path: with the program server down the page says so, and the rest of the wallet still works", async () => {
    const page = await connectAs("Hal");
    await page.route(`${serverUrl}/**`, (route) => route.abort("connectionrefused"));
    await page.goto(`${app.appUrl}#/market`);
    const alert = page.getByRole("alert");
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.textContent())
      .to.contain("Could not read the order book")
      .and.contain(`The program server (${serverUrl}) could not be reached`);
    expect(await seriousViolations(page)).to.deep.equal([]);
    await page.unrouteAll();
    await page.getByRole("button", { name: "Try again" }).click();
    await page.getByRole("heading", { name: "For sale" }).waitFor();
    await page.close();
  });

  it("Market, bad path: a wallet that refuses to sign the listing leaves nothing posted", async () => {
    const ada = accounts.get("Ada")!;
    const page = await newPage();
    await injectWallet(page, ada, ["eth_signTypedData_v4"]);
    await page.goto(`${app.appUrl}#/market`);
    await page.getByRole("button", { name: "Connect a browser wallet" }).click();
    const tokenId = await tradableStampOf(ada);
    await page.getByLabel("Stamp", { exact: true }).selectOption(tokenId.toString());
    await page.getByLabel(`Price (${units.pointsSymbol})`).fill("25");
    await page.getByRole("button", { name: "Review the listing" }).click();
    const ordersBefore = (await server.ordersOf(ada)).orders.map((o) => o.signed.orderHash);
    await page.getByRole("button", { name: "Sign and post the listing" }).click();
    await page.getByText(/List .*: failed\. You rejected the request in your wallet/).waitFor();
    expect((await server.ordersOf(ada)).orders.map((o) => o.signed.orderHash)).to.deep.equal(ordersBefore);
    expect(await seriousViolations(page)).to.deep.equal([]);
    await page.close();
  });

  it("Market: Ada proposes a swap for Hal's stamp; Hal, with no native coin, accepts it through the relayer", async () => {
    const ada = accounts.get("Ada")!;
    const hal = accounts.get("Hal")!;
    const give = await tradableStampOf(ada);
    const wanted = await tradableStampOf(hal);
    const { edition } = decodeStampId(wanted);
    const maker = await connectAs("Ada");
    await maker.goto(`${app.appUrl}#/market`);
    await maker.getByLabel("Stamp to give").selectOption(give.toString());
    await maker.getByLabel("Edition wanted (empty: any)").fill(edition.toString());
    await maker.getByRole("button", { name: "Sign and post the swap" }).click();
    await maker.getByText(/Propose a swap of .*: confirmed/).waitFor({ timeout: 60_000 });
    const posted = (await server.ordersOf(ada)).orders.find((o) => o.kind === "swap" && o.signed.order.makerTokenId === give);
    if (posted?.kind !== "swap") throw new Error("the swap is not in the book");
    await maker.close();

    const page = await connectAs("Hal");
    await page.goto(`${app.appUrl}#/market`);
    const row = page.getByTestId("swap-for-me");
    await row.waitFor();
    const halPoints = await pointsOf(hal);
    await row.getByRole("button", { name: "Accept the swap" }).click();
    await page.getByText(/Swap .*\(sponsored by .*\): confirmed/).waitFor({ timeout: 60_000 });
    const owner = (tokenId: bigint) =>
      chain.readContract({ address: program.stamps, abi: stampsAbi, functionName: "ownerOf", args: [tokenId] });
    expect([await owner(give), await owner(wanted)]).to.deep.equal([hal, ada]);
    expect(await pointsOf(hal), "Hal paid the swap's fees, as quoted when Ada signed").to.equal(
      halPoints - posted.signed.order.maxFees,
    );
    expect(await chain.getBalance({ address: hal })).to.equal(0n);
    expect(await chain.getTransactionCount({ address: hal })).to.equal(0);
    expect(await seriousViolations(page)).to.deep.equal([]);
    await page.close();
  });

  it("Market: Hal, with no native coin, offers on Ben's stamp by signing the offer and a permit; Ben accepts; balances move to the wei", async () => {
    const ben = accounts.get("Ben")!;
    const hal = accounts.get("Hal")!;
    const money = (n: bigint) => formatAmount(n, units.pointsDecimals, units.pointsSymbol);
    const allowance = () =>
      chain.readContract({ address: program.points, abi: erc20Abi, functionName: "allowance", args: [hal, program.market] });
    // A price above whatever allowance Hal has left from earlier trades, so only the permit can fund it.
    const unit = 10n ** BigInt(units.pointsDecimals);
    const whole = (await allowance()) / unit + 10n;
    const price = whole * unit;
    await rewardPoints(walletOf(accounts.get("backend")!), {
      program,
      reason: "test",
      rewards: [{ member: hal, amount: price }],
    });
    const allowanceBefore = await allowance();
    expect(allowanceBefore < price, "Hal's allowance alone could not fund the offer").to.equal(true);
    const tokenId = await tradableStampOf(ben);
    const { seriesId, edition } = decodeStampId(tokenId);
    const name = await stampName(tokenId);

    // Hal offers on that very stamp: he signs the offer and a permit for its price; nothing is sent.
    const buyer = await connectAs("Hal");
    await buyer.goto(`${app.appUrl}#/market`);
    const form = buyer.getByRole("form", { name: "Make an offer" });
    await form.waitFor();
    expect(await form.textContent()).to.contain(`Sponsored by ${brandName}: you sign the offer and a permit for its price`);
    await form.getByLabel("Series", { exact: true }).selectOption(seriesId.toString());
    await form.getByLabel("Edition (empty: any stamp of the series)").fill(edition.toString());
    await form.getByLabel(`Your offer (${units.pointsSymbol})`).fill(whole.toString());
    await form.getByRole("button", { name: "Make the offer" }).click();
    await buyer.getByText(`Offer ${money(price)} on ${name}: confirmed`).waitFor({ timeout: 60_000 });
    const posted = (await server.ordersOf(hal)).orders.find((o) => o.kind === "offer" && o.signed.order.tokenId === tokenId);
    if (posted?.kind !== "offer") throw new Error("Hal's offer is not in the book");
    expect(posted.status).to.equal("open");
    expect(posted.permit?.message.value, "the book keeps Hal's permit for the price").to.equal(price);
    expect(posted.permit?.message.deadline, "the permit lasts as long as the offer").to.equal(posted.signed.order.expiry);
    expect(await allowance(), "the permit is only stored, not submitted").to.equal(allowanceBefore);
    expect(await seriousViolations(buyer)).to.deep.equal([]);
    await buyer.close();

    // Ben sees it against his stamp and accepts it; the brand's relayer submits Hal's permit with the trade.
    const seller = await connectAs("Ben");
    await seller.goto(`${app.appUrl}#/market`);
    const row = seller.getByTestId("offer-for-me").filter({ hasText: `${money(price)} offered for your ${name}` });
    await row.waitFor();
    // The offer says when it expires: the book's expiry, with the time zone named.
    const expires = row.locator("time");
    expect(await expires.getAttribute("datetime")).to.equal(new Date(Number(posted.signed.order.expiry) * 1000).toISOString());
    expect(await expires.textContent()).to.match(/(UTC|GMT)/);
    const quote = await quoteSale(chain, { program, tokenId, price, currency: program.points });
    const receiver = await royaltyReceiverOf(tokenId, price);
    const before = await Promise.all([ben, hal, receiver].map(pointsOf));
    // Accept asks first, with the split: Cancel there sells nothing.
    await row.getByRole("button", { name: `Accept ${money(price)} for your ${name}` }).click();
    const confirm = seller.getByRole("group", { name: "Confirm accepting the offer" });
    await confirm.waitFor();
    expect(await confirm.getByTestId("royalty").textContent()).to.equal(money(quote.royaltyAmount));
    expect(await confirm.getByTestId("fee").textContent()).to.equal(money(quote.fee));
    expect(await confirm.getByTestId("seller-amount").textContent()).to.equal(money(quote.sellerAmount));
    expect(await confirm.textContent()).to.contain(`Sponsored by ${brandName}`);
    expect(await seriousViolations(seller)).to.deep.equal([]);
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await confirm.waitFor({ state: "detached" });
    expect(
      await chain.readContract({ address: program.stamps, abi: stampsAbi, functionName: "ownerOf", args: [tokenId] }),
      "cancelling the confirmation sells nothing",
    ).to.equal(ben);
    await row.getByRole("button", { name: `Accept ${money(price)} for your ${name}` }).click();
    await confirm.getByRole("button", { name: "Confirm and sell" }).click();
    await seller
      .getByText(`Accept ${money(price)} for ${name} (sponsored by ${brandName}): confirmed in block`, { exact: false })
      .waitFor({ timeout: 60_000 });
    const after = await Promise.all([ben, hal, receiver].map(pointsOf));
    const { receipt, royaltyPaid, expired } = await linkedTrade(seller, receiver);
    expect(receipt.from, "the relayer sent it").to.not.equal(ben.toLowerCase());
    expect(royaltyPaid, "the brand's royalty, paid once").to.deep.equal([quote.royaltyAmount]);
    expect(
      after.map((b, i) => b - before[i]!),
      "seller, buyer, the brand's royalty receiver",
    ).to.deep.equal([quote.sellerAmount, -price, quote.royaltyAmount - expired]);
    expect(
      await chain.readContract({ address: program.stamps, abi: stampsAbi, functionName: "ownerOf", args: [tokenId] }),
    ).to.equal(hal);
    expect(await allowance(), "the permit set the allowance to the price, and the trade spent all of it").to.equal(0n);
    expect(await chain.getBalance({ address: hal }), "Hal still holds no native coin").to.equal(0n);
    expect(await chain.getTransactionCount({ address: hal }), "Hal sent no transaction").to.equal(0);
    await seller.locator(`[data-testid="offer-for-me"][data-token="${tokenId}"]`).waitFor({ state: "detached", timeout: 30_000 });
    expect(await seriousViolations(seller)).to.deep.equal([]);
    await seller.close();
  });

  it("Market, no coin: Ben accepts one of Hal's two offers, which ends the other (one permit nonce); Hal is told which and why, and renews it in one step", async () => {
    const ben = accounts.get("Ben")!;
    const hal = accounts.get("Hal")!;
    const backend = walletOf(accounts.get("backend")!);
    const money = (n: bigint) => formatAmount(n, units.pointsDecimals, units.pointsSymbol);
    const unit = 10n ** BigInt(units.pointsDecimals);
    const tradable = (await getProgramInfo(chain, { program })).series.find((s) => !s.soulbound)!;
    const held = new Set((await getMemberStamps(chain, { program, member: ben })).map((s) => s.tokenId));
    await mintStamps(backend, { program, seriesId: tradable.seriesId, to: [ben, ben] });
    const fresh = (await getMemberStamps(chain, { program, member: ben })).filter((s) => !held.has(s.tokenId));
    const [first, second] = [fresh[0]!.tokenId, fresh[1]!.tokenId];
    const [priceA, priceB] = [12n * unit, 13n * unit];
    await rewardPoints(backend, { program, reason: "test", rewards: [{ member: hal, amount: priceA + priceB }] });
    const [nameA, nameB] = [await stampName(first), await stampName(second)];
    const openOffer = async (tokenId: bigint) => {
      const entry = (await server.ordersOf(hal)).orders.find(
        (o) => o.kind === "offer" && o.status === "open" && o.signed.order.tokenId === tokenId,
      );
      if (entry?.kind !== "offer") throw new Error(`Hal has no open offer on stamp ${tokenId}`);
      return entry;
    };

    // Hal offers on both: each offer comes with a permit for its price, and both permits carry his one Points nonce.
    const buyer = await connectAs("Hal");
    await buyer.goto(`${app.appUrl}#/market`);
    const form = buyer.getByRole("form", { name: "Make an offer" });
    await form.waitFor();
    for (const [tokenId, price, name] of [
      [first, priceA, nameA],
      [second, priceB, nameB],
    ] as const) {
      await form.getByLabel("Series", { exact: true }).selectOption(tradable.seriesId.toString());
      await form.getByLabel("Edition (empty: any stamp of the series)").fill(decodeStampId(tokenId).edition.toString());
      await form.getByLabel(`Your offer (${units.pointsSymbol})`).fill((price / unit).toString());
      await form.getByRole("button", { name: "Make the offer" }).click();
      await buyer.getByText(`Offer ${money(price)} on ${name}: confirmed`).waitFor({ timeout: 60_000 });
    }
    const lost = await openOffer(second);
    expect(lost.permit?.message.nonce).to.equal((await openOffer(first)).permit?.message.nonce);

    // Ben accepts the first; the book can no longer fund the second, and no longer offers it to Ben.
    const seller = await connectAs("Ben");
    await seller.goto(`${app.appUrl}#/market`);
    await seller.getByRole("button", { name: `Accept ${money(priceA)} for your ${nameA}` }).click();
    await seller.getByRole("button", { name: "Confirm and sell" }).click();
    await seller
      .getByText(`Accept ${money(priceA)} for ${nameA} (sponsored by ${brandName}): confirmed in block`, { exact: false })
      .waitFor({ timeout: 60_000 });
    await seller.locator(`[data-testid="offer-for-me"][data-token="${second}"]`).waitFor({ state: "detached", timeout: 30_000 });
    expect((await server.order(lost.signed.orderHash)).status, "the other offer's permit was used").to.equal("stale");
    await seller.close();

    // Hal is told which offer ended and why, and renews it with one signature set; he sends nothing himself.
    await buyer.reload();
    const ended = buyer.getByTestId("ended-offers");
    await ended.waitFor({ timeout: 30_000 });
    expect(await ended.getByTestId("ended-offer").allTextContents()).to.deep.equal([`offer of ${money(priceB)} on ${nameB}`]);
    expect(await ended.textContent())
      .to.contain(`When your offer of ${money(priceA)} on ${nameA} was accepted`)
      .and.contain("a permission works only once");
    expect(await seriousViolations(buyer)).to.deep.equal([]);
    await ended.getByRole("button", { name: "Renew this offer" }).click();
    await buyer.getByText("Renew 1 offer: confirmed").waitFor({ timeout: 60_000 });
    const renewed = await openOffer(second);
    expect(renewed.signed.orderHash).to.not.equal(lost.signed.orderHash);
    expect(renewed.signed.order.price).to.equal(priceB);
    expect(renewed.permit?.message.value).to.equal(priceB);
    expect(renewed.permit?.message.nonce).to.equal(
      await chain.readContract({ address: program.points, abi: pointsAbi, functionName: "nonces", args: [hal] }),
    );
    await ended.waitFor({ state: "detached", timeout: 30_000 });
    expect(await chain.getTransactionCount({ address: hal }), "Hal sent no transaction").to.equal(0);
    await buyer.close();
  });

  it("Market, bad price: a price finer than the points' decimals, or absurdly large, is refused (not rounded) and voids the confirmation shown", async () => {
    const ada = accounts.get("Ada")!;
    expect(units.pointsDecimals, "the demo's points are whole").to.equal(0);
    const ordersBefore = (await server.ordersOf(ada)).orders.map((o) => o.signed.orderHash);
    const page = await connectAs("Ada");
    await page.goto(`${app.appUrl}#/market`);
    const tokenId = await tradableStampOf(ada);
    await page.getByLabel("Stamp", { exact: true }).selectOption(tokenId.toString());
    const price = page.getByLabel(`Price (${units.pointsSymbol})`);
    const review = page.getByRole("button", { name: "Review the listing" });
    const confirm = page.getByRole("group", { name: "Confirm the listing" });
    const problem = page.getByRole("region", { name: "Sell a stamp" }).getByRole("alert");
    await price.fill("40");
    await review.click();
    await confirm.waitFor();
    await price.fill("1.5");
    await review.click();
    await confirm.waitFor({ state: "detached" });
    expect(await problem.textContent()).to.equal(
      `${units.pointsSymbol} are counted in whole numbers: "1.5" has a fraction. Write a whole number such as 100.`,
    );
    await price.fill("1".repeat(29));
    await review.click();
    expect(await problem.textContent()).to.equal(
      `A price can be at most 1,000,000,000 ${units.pointsSymbol}: "${"1".repeat(29)}" is more.`,
    );
    expect(await confirm.count()).to.equal(0);
    await price.fill("1000000000");
    await review.click();
    await confirm.waitFor();
    expect(await confirm.textContent()).to.contain(`for ${formatAmount(1_000_000_000n, 0, units.pointsSymbol)}?`);
    await confirm.getByRole("button", { name: "Cancel" }).click();

    const offer = page.getByRole("form", { name: "Make an offer" });
    await offer.getByLabel(`Your offer (${units.pointsSymbol})`).fill("2.50");
    await offer.getByRole("button", { name: "Make the offer" }).click();
    expect(await offer.getByRole("alert").textContent()).to.contain("counted in whole numbers");
    expect(await seriousViolations(page)).to.deep.equal([]);
    expect(
      (await server.ordersOf(ada)).orders.map((o) => o.signed.orderHash),
      "nothing was posted",
    ).to.deep.equal(ordersBefore);
    await page.close();
  });

  it("Market: Ben offers on a series, Ada accepts it; Ben cancels one listing, then all his orders", async () => {
    const ada = accounts.get("Ada")!;
    const ben = accounts.get("Ben")!;
    const money = (n: bigint) => formatAmount(n, units.pointsDecimals, units.pointsSymbol);
    const price = 20n * 10n ** BigInt(units.pointsDecimals);
    await rewardPoints(walletOf(accounts.get("backend")!), {
      program,
      reason: "test",
      rewards: [{ member: ben, amount: price }],
    });
    const tokenId = await tradableStampOf(ada);
    const { seriesId } = decodeStampId(tokenId);

    // Ben (with coin) offers on any stamp of the series: his allowance is raised first, then the offer is posted.
    const buyer = await connectAs("Ben");
    await buyer.goto(`${app.appUrl}#/market`);
    await buyer.getByLabel(`Your offer (${units.pointsSymbol})`).fill("20");
    await buyer.getByRole("button", { name: "Make the offer" }).click();
    await buyer
      .getByText(`Offer ${money(price)} on `)
      .filter({ hasText: "confirmed" })
      .waitFor({ timeout: 60_000 });
    const offer = (await server.ordersOf(ben)).orders.find((o) => o.kind === "offer");
    if (offer?.kind !== "offer") throw new Error("Ben's offer is not in the book");
    expect(offer.signed.order.seriesId).to.equal(seriesId);
    await buyer.close();

    // Ada sees it against her stamp and accepts it with her own transaction.
    const seller = await connectAs("Ada");
    await seller.goto(`${app.appUrl}#/market`);
    const row = seller.getByTestId("offer-for-me");
    await row.waitFor();
    const before = await Promise.all([ada, ben].map(pointsOf));
    const quote = await quoteSale(chain, { program, tokenId, price, currency: program.points });
    await row.getByRole("button", { name: /^Accept / }).click();
    await seller.getByRole("button", { name: "Confirm and sell" }).click();
    await seller.getByText(/Accept .*: confirmed in block/).waitFor({ timeout: 60_000 });
    const after = await Promise.all([ada, ben].map(pointsOf));
    expect(after.map((b, i) => b - before[i]!)).to.deep.equal([quote.sellerAmount, -price]);
    expect(
      await chain.readContract({ address: program.stamps, abi: stampsAbi, functionName: "ownerOf", args: [tokenId] }),
    ).to.equal(ben);
    await seller.close();

    // Ben lists it twice, cancels one listing, then all his orders.
    const benWallet = walletOf(ben);
    for (const p of [50n, 60n])
      await server.postOrder({ listing: await listStamp(benWallet, { program, tokenId, price: p, currency: program.points }) });
    const page = await connectAs("Ben");
    await page.goto(`${app.appUrl}#/market`);
    await page.getByTestId("my-order").first().waitFor();
    expect(await page.getByTestId("my-order").count()).to.equal(2);
    const first = (await server.ordersOf(ben)).orders[0]!;
    await page.getByTestId("my-order").first().getByRole("button", { name: "Cancel" }).click();
    await page.getByText(/Cancel: .*: confirmed in block/).waitFor({ timeout: 60_000 });
    if (first.kind !== "listing") throw new Error("Ben's first order is not a listing");
    expect((await getOrderStatus(chain, { program, order: { listing: first.signed } })).state).to.equal("cancelled");
    await page.getByRole("button", { name: "Cancel all my orders" }).click();
    await page.getByText(/Cancel all your orders: confirmed in block/).waitFor({ timeout: 60_000 });
    expect(await chain.readContract({ address: program.market, abi: marketAbi, functionName: "nonces", args: [ben] })).to.equal(
      1n,
    );
    await page.getByTestId("no-orders").waitFor({ timeout: 30_000 });
    expect(await seriousViolations(page)).to.deep.equal([]);
    await page.close();
  });

  it("Privacy, no coin: Hal, linked, turns marketing off (relayed) and forgets (the brand erases and unlinks), each only signed by him; a replayed change and an altered forget request are refused", async () => {
    const hal = accounts.get("Hal")!;
    await linkByBrand(hal, "cust-hal", ["rewards", "marketing"]);
    const page = await connectAs("Hal");
    const sent: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST" && r.url().endsWith("/relay/consentChange")) sent.push(r.postData() ?? "");
    });
    await page.goto(`${app.appUrl}#/privacy`);
    const marketing = page.getByRole("switch", { name: "Marketing" });
    await marketing.waitFor();
    expect(await page.getByTestId("privacy-sponsor").textContent()).to.contain(`Sponsored by ${brandName}`);
    await marketing.click();
    await page.getByText(`Stop marketing (sponsored by ${brandName}): confirmed in block`, { exact: false }).waitFor({
      timeout: 60_000,
    });
    expect((await getConsentLink(chain, { program, wallet: hal }))!.purposes).to.deep.equal(["rewards"]);
    expect(await marketing.getAttribute("aria-checked")).to.equal("false");

    // The signed change sent again (a replay) is refused: its nonce is spent, and nothing changes.
    expect(sent).to.have.length(1);
    const replay = await fetch(new URL("relay/consentChange", serverUrl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: sent[0],
    });
    expect(replay.status, await replay.text()).to.be.within(400, 499);
    expect((await getConsentLink(chain, { program, wallet: hal }))!.purposes).to.deep.equal(["rewards"]);

    // Abuse: the page's request to the brand altered on its way (an expired deadline, then a forged signature) is
    // refused by the server, the page shows the server's reason, and nothing is erased.
    type Wire = { message: { wallet: string; deadline: string }; signature: string; chainId: number };
    const tamper = async (change: (body: Wire) => Wire) => {
      await page.route("**/links/forget", (route) =>
        route.request().method() === "POST"
          ? route.continue({ postData: JSON.stringify(change(route.request().postDataJSON() as Wire)) })
          : route.continue(),
      );
      await page.getByRole("button", { name: "Forget me" }).click();
      await page.getByRole("button", { name: "Yes, forget me" }).click();
      const failed = page.getByText(`Forget me (sponsored by ${brandName}): failed. The program server refused:`, {
        exact: false,
      });
      await failed.waitFor({ timeout: 60_000 });
      await page.unroute("**/links/forget");
      return failed.textContent();
    };
    // The server's refusal codes (expired, bad_signature) in the wallet's words.
    expect(await tamper((b) => ({ ...b, message: { ...b.message, deadline: "1" } }))).to.contain(
      "This has expired: sign it again.",
    );
    const flip = (signature: string) => `${signature.slice(0, 10)}${signature[10] === "a" ? "b" : "a"}${signature.slice(11)}`;
    expect(await tamper((b) => ({ ...b, signature: flip(b.signature) }))).to.contain(
      "The signature is not yours: nothing was done.",
    );
    expect(await storeHolds("cust-hal"), "nothing erased").to.equal(true);
    expect(await getConsentLink(chain, { program, wallet: hal })).to.not.equal(null);

    await page.getByRole("button", { name: "Forget me" }).click();
    await page.getByRole("button", { name: "Yes, forget me" }).click();
    await page.getByText(`Forget me (sponsored by ${brandName}): confirmed`, { exact: false }).waitFor({
      timeout: 60_000,
    });
    expect(await page.getByTestId("forget-answer").textContent())
      .to.contain(`${brandName} erased:`)
      .and.contain(`${brandName} also unlinked this wallet on the chain and paid for it`);
    expect(await getConsentLink(chain, { program, wallet: hal }), "the brand unlinked Hal").to.equal(null);
    expect(await storeHolds("cust-hal"), "the brand's store no longer has Hal").to.equal(false);
    expect(await chain.getBalance({ address: hal }), "Hal still holds no native coin").to.equal(0n);
    expect(await chain.getTransactionCount({ address: hal }), "Hal sent no transaction").to.equal(0);
    expect(await seriousViolations(page)).to.deep.equal([]);
    await page.close();
  });

  // Last before Ctrl-C: it cancels the program's end, moves the chain's clock 340 days, then ends the program.
  it("Collection: points expired, pending and expiring within 30 days are each explained with the chain's dates; after the end, none", async () => {
    const format = (amount: bigint) => formatAmount(amount, units.pointsDecimals, units.pointsSymbol);
    // Eli has not earned nor spent since before the demo's year-long wait: his balance expired.
    const eli = await getPointsLifecycle(chain, { program, member: accounts.get("Eli")! });
    expect(eli.expired).to.be.greaterThan(0n);
    expect(eli.spendable).to.equal(0n);
    let page = await connectAs("Eli");
    expect(await page.getByTestId("points-expired").textContent()).to.equal(
      `${format(eli.expired)} expired and can no longer be spent; they count in your balance until they are removed on-chain.`,
    );
    expect(await page.getByTestId("points-spendable").textContent()).to.equal(`${format(0n)} spendable now`);
    await page.close();

    // The brand withdraws its announced end and sells Dev 120 points: pending for the program's 14 days.
    await cancelProgramEnd(walletOf(deployer), { program });
    const dev = accounts.get("Dev")!;
    await creditPurchase(walletOf(accounts.get("backend")!), {
      program,
      member: dev,
      amount: 120n,
      receiptId: receiptIdOf("wallet-test-order-1", "wallet-test-secret"),
    });
    const bought = await getPointsLifecycle(chain, { program, member: dev });
    expect([bought.pending, bought.expired, bought.expiring]).to.deep.equal([120n, 0n, 0n]);
    page = await connectAs("Dev");
    expect(await page.getByTestId("points").textContent()).to.equal(format(bought.balance));
    expect(await page.getByTestId("points-pending").textContent()).to.equal(
      `${format(120n)} pending: a purchase becomes spendable at 00:00 UTC once 14 full days have passed.`,
    );
    expect(await page.getByTestId("points-spendable").textContent()).to.equal(`${format(bought.spendable)} spendable now`);
    expect(await page.getByTestId("program-end").count()).to.equal(0);
    expect(await page.getByTestId("points-expiring").count()).to.equal(0);

    // 340 days later the purchase is spendable, and Dev's whole balance expires within 30 days unless he acts.
    await chain.request({ method: "evm_increaseTime", params: [340 * 86_400] } as never);
    await chain.request({ method: "evm_mine", params: [] } as never);
    const later = await getPointsLifecycle(chain, { program, member: dev });
    expect([later.pending, later.spendable, later.expired, later.expiring]).to.deep.equal([0n, later.balance, 0n, later.balance]);
    await page.reload();
    await page.getByTestId("points-expiring").waitFor();
    expect(await page.getByTestId("points-expiring").textContent()).to.equal(
      `${format(later.balance)} expire on ${utcTime(later.expiresAt!)}. Earning or spending points before then keeps them for another 365 days.`,
    );
    expect(await page.getByTestId("points-pending").count()).to.equal(0);
    expect(await page.getByTestId("points-spendable").count()).to.equal(0);
    expect(await seriousViolations(page)).to.deep.equal([]);
    await screenshots(page, "collection-expiry");

    // The brand announces the end again; once it has come, balances are frozen: the page says so, and no longer
    // speaks of expiry (the contract's clock would, but nothing can be spent or burned any more).
    const { endsAt } = await announceProgramEnd(walletOf(deployer), { program });
    await chain.request({ method: "evm_increaseTime", params: [91 * 86_400] } as never);
    await chain.request({ method: "evm_mine", params: [] } as never);
    expect((await getPointsLifecycle(chain, { program, member: dev })).expired).to.equal(later.balance);
    await page.reload();
    await page.getByTestId("program-end").waitFor();
    expect(await page.getByTestId("program-end").textContent()).to.equal(
      `This program ended on ${utcTime(endsAt)}. Your stamps stay yours and your points balance is frozen.`,
    );
    expect(await page.getByTestId("points").textContent()).to.equal(format(later.balance));
    for (const note of ["points-expired", "points-expiring", "points-pending", "points-spendable"]) {
      expect(await page.getByTestId(note).count(), note).to.equal(0);
    }
    await page.close();
  });

  it("Ctrl-C (SIGINT) stops the app, the program server and the node: every port closes and the process exits 0", async () => {
    const exited = new Promise<number | null>((resolve) => app.child.once("exit", (code) => resolve(code)));
    app.child.kill("SIGINT");
    expect(await exited, app.output()).to.equal(0);
    expect(app.output()).to.contain("Stopped.");
    for (const url of [app.appUrl, app.rpcUrl, serverUrl]) {
      const error = await fetch(url).then(
        () => null,
        (e: Error) => e,
      );
      expect(error, `${url} still answers`).to.not.equal(null);
    }
  });
});
