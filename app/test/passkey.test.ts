// The passkey card in Chromium (issue #24, items 5 and 6): `npm run app`, and a virtual authenticator (CDP WebAuthn,
// ctap2, internal, resident keys, user verification) standing in for the phone's fingerprint reader. A newcomer
// creates a card on a phone-sized screen (a discoverable passkey; their account is the factory's predicted
// MemberAccount, shown as a card, never as hex), the brand rewards that address, the card opens again after a reload,
// after signing out, and after the browser forgot it (the public key recovered from the passkey's signatures). The
// member sends no transaction and holds no coin throughout. The card also proposes and takes swaps, and acts as a
// minor's guardian. And the abuse: a UserOp the program server will not sponsor shows the server's reason, and
// nothing changes.
import { expect } from "chai";
import { createPrivateKey } from "node:crypto";
import type { Browser, CDPSession, Page, Request } from "playwright-core";
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  erc20Abi,
  http,
  keccak256,
  publicActions,
  toHex,
  zeroAddress,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import {
  approveMarket,
  attestLink,
  buyStamp,
  cancelOrder,
  createProgramServerClient,
  decodeStampId,
  fillSwap,
  guardianApprovalCalls,
  proposeSwap,
  signConsentLink,
  signGuardianRequest,
  submitLink,
  getConsentLink,
  passkeyId,
  prepareSponsoredUserOperation,
  ProgramServerError,
  quoteSale,
  toMemberAccount,
  getMemberStamps,
  getProgramInfo,
  listStamp,
  mintStamps,
  predictMemberAccount,
  programFromRecord,
  rewardPoints,
  type DeploymentRecord,
  type Program,
} from "@punchcard/sdk";
import { LinkStore } from "@punchcard/sdk/node";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { marketAbi, memberAccountAbi, stampsAbi } from "../../sdk/src/generated/abis";
import { linkRequestCode } from "../src/features/link/linkRequest";
import { removePasskeyCalls } from "../src/passkey/accountPasskeys";
import { launchChromium } from "../../test/helpers/chromium";
import { axeViolations as violations } from "./axe";
import { buildApp, startApp, stopApp, type StartedApp } from "./startApp";

/** A phone's screen: the card is made for it first. */
const PHONE = { width: 390, height: 844 };
/**
 * The target from "Create my card" to the first reward on screen, on the local chain, is 5 s: measured and
 * printed. The test holds a bound six times that, as the machines that run it may be shared and loaded.
 */
const SIGN_UP_TO_REWARD_TARGET_MS = 5_000;
const SIGN_UP_TO_REWARD_BOUND_MS = 6 * SIGN_UP_TO_REWARD_TARGET_MS;

interface ProgramJson {
  brand: string;
  serverUrl: string;
  record: DeploymentRecord;
  testAccounts: Array<{ name: string; address: Address }>;
  accounts?: { factory: Address; paymaster: Address; bundlerUrl: string };
}

describe("member web wallet: the passkey card (browser, virtual authenticator)", function () {
  this.timeout(300_000);
  let app: StartedApp;
  let browser: Browser;
  let chain: PublicClient;
  let program: Program;
  let config: ProgramJson;
  let accounts: NonNullable<ProgramJson["accounts"]>;
  /** The wallet at http://localhost:<port>/: a passkey's relying party is a domain name, never an IP address. */
  let walletUrl: string;

  before(async () => {
    buildApp();
    app = await startApp({ needLinkStore: true });
    config = (await (await fetch(`${app.appUrl}program.json`)).json()) as ProgramJson;
    program = programFromRecord(config.record);
    chain = createPublicClient({ transport: http(app.rpcUrl) });
    walletUrl = app.appUrl.replace("127.0.0.1", "localhost");
    // `npm run app` deploys the program's MemberAccountFactory and BrandPaymaster and starts a bundler.
    expect(config.accounts, "program.json names the member accounts").to.not.equal(undefined);
    accounts = config.accounts!;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await stopApp(app);
  });

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
  const named = (name: string) => config.testAccounts.find((a) => a.name === name)!.address;

  /** A phone-sized page whose program.json names the account factory, with a virtual authenticator of its own. */
  async function phone(): Promise<{ page: Page; cdp: CDPSession; authenticatorId: string }> {
    const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: "en-US" });
    const page = await context.newPage();
    await page.route("**/program.json", async (route) => {
      const response = await route.fetch();
      const json = (await response.json()) as ProgramJson;
      await route.fulfill({ response, json: { ...json, accounts } });
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send("WebAuthn.enable", { enableUI: false });
    const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    return { page, cdp, authenticatorId };
  }

  /** The card this browser keeps (localStorage), as the wallet wrote it. */
  async function storedCard(page: Page): Promise<{ credentialId: string; publicKey: Hex; name: string; address: Address }> {
    const key = `punchcard.card.${program.chainId}.${accounts.factory.toLowerCase()}`;
    const raw = await page.evaluate((k) => localStorage.getItem(k), key);
    expect(raw, "the card is remembered").to.be.a("string");
    return JSON.parse(raw!) as { credentialId: string; publicKey: Hex; name: string; address: Address };
  }

  const pointsOf = (member: Address) =>
    chain.readContract({ address: program.points, abi: erc20Abi, functionName: "balanceOf", args: [member] });

  /**
   * The member holds no coin and has sent no transaction: the brand pays for everything. Once its first UserOp has
   * deployed the account, its nonce is a new contract's 1 (EIP-161), and a contract sends no transaction.
   */
  async function expectNoCoinNoTransaction(member: Address): Promise<void> {
    expect(await chain.getBalance({ address: member }), "no coin").to.equal(0n);
    const deployed = (await chain.getCode({ address: member })) !== undefined;
    expect(await chain.getTransactionCount({ address: member }), "no transaction of its own").to.equal(deployed ? 1 : 0);
  }

  it("a newcomer creates a card (no seed phrase, no extension, no coin), is rewarded, and gets back in after a reload, a sign-out and a cleared browser", async () => {
    const { page, cdp, authenticatorId } = await phone();
    await page.goto(walletUrl);
    // "Create my card" comes first, above the browser wallet and the developer mode.
    const create = page.getByRole("button", { name: "Create my card" });
    await create.waitFor();
    const firstButton = await page.getByRole("button").first().textContent();
    expect(firstButton).to.equal("Create my card");
    await page.getByLabel("Name on your card (optional)").fill("Zoe");

    const started = Date.now();
    await create.click();
    const card = page.getByRole("region", { name: `Your ${config.brand} card`, exact: true });
    await card.getByText("Zoe").waitFor();
    const cardShown = Date.now() - started;
    const stored = await storedCard(page);

    // The brand rewards the card's address at sign-up (the test plays its backend as soon as the card is shown), and
    // the wallet shows the reward once its block is seen: no reload, no waiting for a timer.
    const points = page.getByTestId("points");
    let rewardMined = 0;
    await Promise.all([
      rewardPoints(walletOf(named("backend")), {
        program,
        reason: "welcome",
        rewards: [{ member: stored.address, amount: 25n }],
      }).then(() => (rewardMined = Date.now() - started)),
      points.filter({ hasText: "25" }).waitFor(),
    ]);
    const signUpToReward = Date.now() - started;
    console.log(
      `      sign-up to card shown: ${cardShown} ms; reward mined: ${rewardMined} ms; first reward visible: ${signUpToReward} ms (target < ${SIGN_UP_TO_REWARD_TARGET_MS} ms)`,
    );
    expect(signUpToReward).to.be.below(SIGN_UP_TO_REWARD_BOUND_MS);

    // Abuse: a reward to another member moves nothing of this card's, so the Collection is not read again: once the
    // wallet's watch has looked at that block (eth_getLogs up to it), it has called neither Points nor Stamps.
    type RpcCall = { method: string; params: unknown[] };
    const callsOf = (request: Request): RpcCall[] => {
      if (!request.url().startsWith(app.rpcUrl)) return [];
      const body = JSON.parse(request.postData() ?? "[]") as RpcCall | RpcCall[];
      return Array.isArray(body) ? body : [body];
    };
    const calls: RpcCall[] = [];
    const record = (request: Request) => calls.push(...callsOf(request));
    page.on("request", record);
    const other = await rewardPoints(walletOf(named("backend")), {
      program,
      reason: "welcome",
      rewards: [{ member: named("Ben"), amount: 5n }],
    });
    const looked = (call: RpcCall) =>
      call.method === "eth_getLogs" && BigInt((call.params[0] as { toBlock: Hex }).toBlock) >= other.receipt.blockNumber;
    if (!calls.some(looked)) await page.waitForRequest((request) => callsOf(request).some(looked));
    page.off("request", record);
    const collectionContracts = [program.points, program.stamps].map((address) => address.toLowerCase());
    const reads = calls.filter(
      (call) => call.method === "eth_call" && collectionContracts.includes((call.params[0] as { to: string }).to.toLowerCase()),
    );
    expect(reads, "the Collection read again").to.deep.equal([]);
    expect(await points.textContent()).to.contain("25");

    // The passkey is a resident (discoverable) credential in the authenticator, and the card's public key is its key.
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    expect(credentials).to.have.length(1);
    expect(credentials[0]!.isResidentCredential).to.equal(true);
    const jwk = createPrivateKey({
      key: Buffer.from(credentials[0]!.privateKey, "base64"),
      format: "der",
      type: "pkcs8",
    }).export({ format: "jwk" });
    const publicKey = `0x${Buffer.from(jwk.x!, "base64url").toString("hex")}${Buffer.from(jwk.y!, "base64url").toString("hex")}`;
    expect(stored.publicKey.toLowerCase().endsWith(publicKey.slice(2))).to.equal(true);
    // The account is the factory's predicted MemberAccount for that key (not deployed yet: its first UserOp will).
    const member = await predictMemberAccount(chain, {
      factory: accounts.factory,
      publicKey: stored.publicKey,
      recoverer: zeroAddress,
    });
    expect(stored.address).to.equal(member);
    expect(await chain.getCode({ address: member })).to.equal(undefined);
    expect(await pointsOf(member)).to.equal(25n);
    await expectNoCoinNoTransaction(member);

    // The card shows the brand, the name and a short member number: never hex.
    const number = (BigInt(member) % 100_000_000n).toString().padStart(8, "0");
    await card.getByText(`Member no. ${number.slice(0, 4)} ${number.slice(4)}`).waitFor();
    expect(await page.locator("body").innerText()).to.not.match(/0x[0-9a-fA-F]{4}/);

    // After a reload the browser reopens the card it remembers, with its reward.
    await page.reload();
    await page
      .getByRole("region", { name: `Your ${config.brand} card`, exact: true })
      .getByText("Zoe")
      .waitFor();
    await points.filter({ hasText: "25" }).waitFor();

    // Sign out, then in again: one passkey prompt, the card this browser remembers.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in with my passkey" }).click();
    await page
      .getByRole("region", { name: `Your ${config.brand} card`, exact: true })
      .getByText("Zoe")
      .waitFor();

    // The browser forgets everything: the passkey alone gets the member back to the same account.
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await page.getByRole("button", { name: "Sign in with my passkey" }).click();
    const recovered = page.getByRole("region", { name: `Your ${config.brand} card`, exact: true });
    await recovered.getByText(`Member no. ${number.slice(0, 4)} ${number.slice(4)}`).waitFor();
    expect((await storedCard(page)).address).to.equal(member);
    await points.filter({ hasText: "25" }).waitFor();
    await expectNoCoinNoTransaction(member);
    await page.context().close();
  });

  it("abuse: a passkey that is not this wallet's card is refused in words, and no account is opened", async () => {
    const { page, cdp, authenticatorId } = await phone();
    await page.goto(walletUrl);
    // The authenticator holds no passkey for this site: the browser has nothing to offer, and the page says so.
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    expect(credentials).to.have.length(0);
    await page.getByRole("button", { name: "Sign in with my passkey" }).click();
    await page.getByText(/cancelled: nothing was created or opened|not a card of this wallet/).waitFor({ timeout: 60_000 });
    expect(await page.getByRole("region", { name: `Your ${config.brand} card`, exact: true }).count()).to.equal(0);
    await page.context().close();
  });

  /** A new card, named `name`, rewarded `points` by the brand; the page shows it. */
  async function rewardedCard(name: string, points: bigint): Promise<{ page: Page; member: Address }> {
    return rewardedCardOn((await phone()).page, name, points);
  }

  /** As rewardedCard, on a page of phone()'s. */
  async function rewardedCardOn(page: Page, name: string, points: bigint): Promise<{ page: Page; member: Address }> {
    await page.goto(walletUrl);
    await page.getByLabel("Name on your card (optional)").fill(name);
    await page.getByRole("button", { name: "Create my card" }).click();
    await page
      .getByRole("region", { name: `Your ${config.brand} card`, exact: true })
      .getByText(name)
      .waitFor();
    const member = (await storedCard(page)).address;
    await rewardPoints(walletOf(named("backend")), { program, reason: "welcome", rewards: [{ member, amount: points }] });
    return { page, member };
  }

  /** The stamps this file has listed: each test lists another one. */
  const listedHere = new Set<bigint>();

  /** Ada lists one of her tradable stamps at `price` points (her own transaction and signature) on the order book. */
  async function adaLists(price: bigint): Promise<bigint> {
    const ada = walletOf(named("Ada"));
    const soulbound = new Set(
      (await getProgramInfo(chain, { program })).series.filter((s) => s.soulbound).map((s) => s.seriesId),
    );
    const held = (await getMemberStamps(chain, { program, member: named("Ada") })).find(
      (s) => !soulbound.has(s.seriesId) && !listedHere.has(s.tokenId),
    );
    // When this file has listed all she holds, the brand gives her another one.
    const stamp =
      held ??
      (
        await mintStamps(walletOf(named("backend")), {
          program,
          seriesId: (await getProgramInfo(chain, { program })).series.find((s) => !s.soulbound)!.seriesId,
          to: [named("Ada")],
        })
      ).stamps[0]!;
    listedHere.add(stamp.tokenId);
    await approveMarket(ada, { program });
    const listing = await listStamp(ada, { program, tokenId: stamp.tokenId, price, currency: program.points });
    await createProgramServerClient(config.serverUrl).postOrder({ listing });
    return stamp.tokenId;
  }

  /** The card's member opens the Market and confirms the purchase of `tokenId`. */
  async function buyOnMarket(page: Page, tokenId: bigint): Promise<void> {
    await page.getByRole("link", { name: "Market" }).click();
    const row = page.locator(`[data-testid="listing"][data-token="${tokenId}"]`);
    await row.waitFor({ timeout: 60_000 });
    await row.getByRole("button").click();
    await page.getByRole("button", { name: "Confirm purchase" }).click();
  }

  it("a card buys a stamp in one UserOp (approve and buy) that the brand sponsors through the bundler, and holds no coin", async () => {
    const { page, member } = await rewardedCard("Uma", 1_000n);
    const tokenId = await adaLists(10n);
    await buyOnMarket(page, tokenId);
    await page.getByText(/: confirmed/).waitFor({ timeout: 120_000 });
    const owner = await chain.readContract({
      address: program.stamps,
      abi: stampsAbi,
      functionName: "ownerOf",
      args: [tokenId],
    });
    expect(owner).to.equal(member);
    expect(await pointsOf(member)).to.equal(990n);
    // The account was deployed by its first UserOp, which the bundler sent and the brand's paymaster paid for.
    expect(await chain.getCode({ address: member })).to.not.equal(undefined);
    await expectNoCoinNoTransaction(member);
    await page.context().close();
  });

  it("abuse: a purchase the sponsorship policy refuses (it would revert: the card lacks the points) shows the reason, and nothing changes", async () => {
    const { page, member } = await rewardedCard("Yan", 100n);
    const tokenId = await adaLists(5_000n);
    await buyOnMarket(page, tokenId);
    const failed = page.getByText(/: failed\./);
    await failed.waitFor({ timeout: 120_000 });
    const said = (await failed.textContent()) ?? "";
    // The server named the contract's error its simulation met: the member reads that error's own sentence.
    expect(said, said).to.contain("You do not have enough points for this: nothing changed.");
    expect(await pointsOf(member)).to.equal(100n);
    expect(await chain.getCode({ address: member })).to.equal(undefined);
    await expectNoCoinNoTransaction(member);
    await page.context().close();
  });

  /** The public key of a credential the virtual authenticator holds (64 bytes, x ‖ y), from its private key. */
  function publicKeyOf(credential: { privateKey: string }): Hex {
    const jwk = createPrivateKey({ key: Buffer.from(credential.privateKey, "base64"), format: "der", type: "pkcs8" }).export({
      format: "jwk",
    });
    return `0x${Buffer.from(jwk.x!, "base64url").toString("hex")}${Buffer.from(jwk.y!, "base64url").toString("hex")}`;
  }

  const passkeyCount = (member: Address) =>
    chain.readContract({ address: member, abi: memberAccountAbi, functionName: "passkeyCount" });
  const isPasskey = (member: Address, publicKey: Hex) =>
    chain.readContract({ address: member, abi: memberAccountAbi, functionName: "isPasskey", args: [passkeyId(publicKey)] });
  const ownerOf = (tokenId: bigint) =>
    chain.readContract({ address: program.stamps, abi: stampsAbi, functionName: "ownerOf", args: [tokenId] });

  /** The brand's backend prepares a link of `wallet` to `customerId` and attests it: the wallet's link request code. */
  async function brandLinkRequest(wallet: Address, customerId: string): Promise<string> {
    const store = await LinkStore.open(app.linkStoreFile!, { program, brand: walletOf(named("backend")) });
    try {
      const { commitment } = await store.prepareLink({ customerId, wallet });
      return linkRequestCode(await attestLink(walletOf(named("backend")), { program, wallet, commitment }));
    } finally {
      await store.close();
    }
  }

  it("the issue's journey: a newcomer's card is rewarded, buys a stamp, lists it (ERC-1271), links with consent and changes it, adds a passkey, opens on that passkey alone and removes the first; 0 transactions of its own, 0 coin", async () => {
    const { page, cdp, authenticatorId } = await phone();
    const { member } = await rewardedCardOn(page, "Ivy", 1_000n);
    expect(await pointsOf(member)).to.equal(1_000n);
    await expectNoCoinNoTransaction(member);

    // Buys a stamp: one UserOp (approve and buy), sponsored, which also deploys the account.
    const bought = await adaLists(10n);
    await buyOnMarket(page, bought);
    await page.getByText(/: confirmed/).waitFor({ timeout: 120_000 });
    expect(await ownerOf(bought)).to.equal(member);
    expect(await pointsOf(member)).to.equal(990n);
    await expectNoCoinNoTransaction(member);

    // Lists it: the Market's approval in a sponsored UserOp, the listing signed by the passkey the ERC-7739 way,
    // posted to the program server (which checks it through ERC-1271), and shown in the market.
    await page.reload();
    const sell = page.getByRole("region", { name: "Sell a stamp" });
    await sell.getByLabel(/^Price/).fill("40");
    await sell.getByRole("button", { name: "Review the listing" }).click();
    await sell.getByRole("button", { name: "Sign and post the listing" }).click();
    await sell.getByText(/: confirmed/).waitFor({ timeout: 120_000 });
    const { orders } = await createProgramServerClient(config.serverUrl).ordersOf(member);
    const listed = orders.find((o) => o.kind === "listing" && o.signed.order.tokenId === bought);
    expect(listed, "the card's listing is in the book").to.not.equal(undefined);
    await page.reload();
    await page.locator(`[data-testid="listing"][data-token="${bought}"]`).waitFor({ timeout: 60_000 });
    expect(await violations(page), "the market with the card's listing").to.deep.equal([]);
    expect(await ownerOf(bought), "listing moves nothing").to.equal(member);
    await expectNoCoinNoTransaction(member);
    // The Market itself takes the passkey's signature (ERC-1271): Ben buys the listing on-chain, and the card gets
    // the seller's share of the price, to the wei.
    if (listed?.kind !== "listing") throw new Error("no listing");
    const quote = await quoteSale(chain, { program, tokenId: bought, price: 40n, currency: program.points });
    const before = await pointsOf(member);
    await rewardPoints(walletOf(named("backend")), {
      program,
      reason: "welcome",
      rewards: [{ member: named("Ben"), amount: 40n }],
    });
    await buyStamp(walletOf(named("Ben")), { program, listing: listed.signed });
    expect(await ownerOf(bought)).to.equal(named("Ben"));
    expect(await pointsOf(member)).to.equal(before + quote.sellerAmount);

    // Links to the customer account with consent, from the brand's link request, then changes it.
    await page.goto(`${walletUrl}#/link/${await brandLinkRequest(member, "cust-ivy")}`);
    await page.getByRole("heading", { name: `Link to your ${config.brand} account` }).waitFor();
    await page.getByLabel("Marketing").check();
    expect(await violations(page), "the link request").to.deep.equal([]);
    await page.getByRole("button", { name: "Link with my consent" }).click();
    await page.getByText(/: confirmed/).waitFor({ timeout: 120_000 });
    expect((await getConsentLink(chain, { program, wallet: member }))?.purposes).to.deep.equal(["rewards", "marketing"]);
    await page.getByRole("link", { name: "See it on the Privacy page" }).click();
    await page.getByTestId("link-status").filter({ hasText: "since" }).waitFor();
    await page.getByRole("switch", { name: "Marketing" }).click();
    await page.getByText(/: confirmed/).waitFor({ timeout: 120_000 });
    expect((await getConsentLink(chain, { program, wallet: member }))?.purposes).to.deep.equal(["rewards"]);
    await expectNoCoinNoTransaction(member);

    // Adds a second passkey from the card's settings: the account holds both.
    await page.getByRole("link", { name: "Collection" }).click();
    const passkeys = page.getByRole("region", { name: "Your passkeys" });
    await passkeys.getByText("Passkey 1 (in use now)").waitFor();
    await passkeys.getByRole("button", { name: "Add a passkey" }).click();
    await passkeys.getByText(/: confirmed/).waitFor({ timeout: 120_000 });
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    expect(credentials).to.have.length(2);
    const first = (await storedCard(page)).publicKey;
    const second = credentials.map(publicKeyOf).find((key) => !first.toLowerCase().endsWith(key.slice(2).toLowerCase()))!;
    expect(await passkeyCount(member)).to.equal(2n);
    expect(await isPasskey(member, second)).to.equal(true);
    await passkeys.locator("li").nth(1).waitFor();
    expect(await violations(page), "the card's passkeys").to.deep.equal([]);

    // The first device is lost: the authenticator keeps only the second passkey, the browser forgets the card, and
    // the second passkey alone opens the same card (its account found by the event that added the key).
    const firstCredential = credentials.find((c) => !publicKeyOf(c).toLowerCase().endsWith(second.slice(2).toLowerCase()))!;
    await cdp.send("WebAuthn.removeCredential", { authenticatorId, credentialId: firstCredential.credentialId });
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await page.getByRole("button", { name: "Sign in with my passkey" }).click();
    const number = (BigInt(member) % 100_000_000n).toString().padStart(8, "0");
    await page
      .getByText(`Member no. ${number.slice(0, 4)} ${number.slice(4)}`)
      .first()
      .waitFor();
    expect((await storedCard(page)).address).to.equal(member);

    // From the second passkey, the lost one is removed: the account holds one passkey, the second.
    await passkeys.getByText("Passkey 2 (in use now)").waitFor();
    await passkeys.getByRole("button", { name: "Remove passkey 1" }).click();
    await passkeys.getByText(/: confirmed/).waitFor({ timeout: 120_000 });
    expect(await passkeyCount(member)).to.equal(1n);
    expect(await isPasskey(member, second)).to.equal(true);

    // Signs in again after a reload: the card opens on the passkey that is left, and the chain holds what it did.
    await page.reload();
    await passkeys.getByText("Passkey 1 (in use now)").waitFor();
    await page
      .getByTestId("points")
      .filter({ hasText: (before + quote.sellerAmount).toLocaleString("en-US") })
      .waitFor();
    await expectNoCoinNoTransaction(member);

    // Abuse: a UserOp removing the card's last passkey is refused by the program server before anything is signed
    // (its simulation reverts), and the account keeps its passkey.
    const account = await toMemberAccount({
      client: createPublicClient({
        chain: walletOf(member).chain,
        transport: http(app.rpcUrl),
      }),
      credential: { id: "last", publicKey: second },
      factory: accounts.factory,
      address: member,
      firstPublicKey: first,
    });
    const refused = await prepareSponsoredUserOperation(chain, {
      account,
      calls: removePasskeyCalls(member, passkeyId(second)),
      sponsor: (op) => createProgramServerClient(config.serverUrl).sponsorUserOperation(op),
    }).catch((error: unknown) => error);
    expect(refused).to.be.instanceOf(ProgramServerError);
    expect(await passkeyCount(member)).to.equal(1n);
    await expectNoCoinNoTransaction(member);
    await page.context().close();
  });

  it("abuse: a link request made for another card is refused in words before anything is signed, and a damaged one too; nothing is linked", async () => {
    const { page, member } = await rewardedCard("Kit", 50n);
    await page.goto(
      `${walletUrl}#/link/${await brandLinkRequest(privateKeyToAccount(generatePrivateKey()).address, "cust-other")}`,
    );
    await page.getByText("This link was made for another card or wallet").waitFor();
    expect(await page.getByRole("button", { name: "Link with my consent" }).count()).to.equal(0);
    await page.goto(`${walletUrl}#/link/bm90LWEtY29kZQ`);
    await page.getByText("This link is damaged").waitFor();
    expect(await getConsentLink(chain, { program, wallet: member })).to.equal(null);
    await expectNoCoinNoTransaction(member);
    await page.context().close();
  });

  it("abuse: the bundler stopped gives a clear message in words, and nothing is half-done (no points spent, no stamp moved, no account)", async () => {
    const { page, member } = await rewardedCard("Lou", 500n);
    const tokenId = await adaLists(10n);
    // The bundler is down: every request to it is refused, as a stopped server refuses connections.
    await page.route(
      (url) => url.href.startsWith(accounts.bundlerUrl.replace(/\/$/, "")),
      (route) => route.abort("connectionrefused"),
    );
    await buyOnMarket(page, tokenId);
    const failed = page.getByText(/: failed\./);
    await failed.waitFor({ timeout: 120_000 });
    expect(await failed.textContent()).to.contain(
      "The service that sends your card's actions could not be reached: nothing was sent and nothing changed.",
    );
    expect(await pointsOf(member)).to.equal(500n);
    expect(await ownerOf(tokenId)).to.equal(named("Ada"));
    expect(await chain.getCode({ address: member })).to.equal(undefined);
    await expectNoCoinNoTransaction(member);
    await page.context().close();
  });

  /** The brand gives `to` a new stamp of the program's first tradable series: its token id. */
  async function brandGives(to: Address): Promise<bigint> {
    const seriesId = (await getProgramInfo(chain, { program })).series.find((s) => !s.soulbound)!.seriesId;
    return (await mintStamps(walletOf(named("backend")), { program, seriesId, to: [to] })).stamps[0]!.tokenId;
  }

  /** The row of the Market's "swaps for you" offering Ada's stamp `makerTokenId` (the book may hold others). */
  const swapFor = (page: Page, makerTokenId: bigint) =>
    page.getByTestId("swap-for-me").filter({ hasText: `#${decodeStampId(makerTokenId).edition} of` });

  const marketAllowance = (member: Address) =>
    chain.readContract({ address: program.points, abi: erc20Abi, functionName: "allowance", args: [member, program.market] });

  it("a card proposes a swap that Ada takes (the Market checks the passkey's signature, ERC-1271) and takes Ada's swap in one UserOp; the offer it made stays backed; 0 transactions of its own, 0 coin", async () => {
    const { page, member } = await rewardedCard("Sol", 1_000n);
    const server = createProgramServerClient(config.serverUrl);
    const ada = walletOf(named("Ada"));
    const [mine, mineToo, adas, adasToo] = [
      await brandGives(member),
      await brandGives(member),
      await brandGives(named("Ada")),
      await brandGives(named("Ada")),
    ];
    const { seriesId } = decodeStampId(adas);

    // An offer first: its points are backed by the card's allowance to the Market, which nothing below may replace.
    await page.getByRole("link", { name: "Market" }).click();
    const offerForm = page.getByRole("form", { name: "Make an offer" });
    await offerForm.getByLabel("Series", { exact: true }).selectOption(seriesId.toString());
    await offerForm.getByLabel(/^Your offer/).fill("50");
    await offerForm.getByRole("button", { name: "Make the offer" }).click();
    await page.getByText(/: confirmed/).waitFor({ timeout: 120_000 });
    const offer = (await server.ordersOf(member)).orders.find((o) => o.kind === "offer");
    expect(offer, "the card's offer is in the book").to.not.equal(undefined);
    expect(await marketAllowance(member)).to.equal(50n);

    // Proposes a swap: the Market approved for its stamps in a sponsored UserOp, the swap signed by the passkey.
    await page.reload();
    await page.getByLabel("Stamp to give").selectOption(mine.toString());
    await page.getByLabel("Series wanted").selectOption(seriesId.toString());
    await page.getByLabel("Edition wanted (empty: any)").fill(decodeStampId(adas).edition.toString());
    await page.getByRole("button", { name: "Sign and post the swap" }).click();
    await page.getByText(/Propose a swap of .*: confirmed/).waitFor({ timeout: 120_000 });
    const proposed = (await server.ordersOf(member)).orders.find(
      (o) => o.kind === "swap" && o.signed.order.makerTokenId === mine,
    );
    if (proposed?.kind !== "swap") throw new Error("the card's swap is not in the book");

    // Abuse: the card's signature replayed for another maker (Ben) is refused by the book, and by the Market.
    const replayed = { ...proposed.signed, order: { ...proposed.signed.order, maker: named("Ben") } };
    const refused = await server.postOrder({ swap: replayed }).catch((error: unknown) => error);
    expect(refused).to.be.instanceOf(ProgramServerError);
    expect((refused as ProgramServerError).code).to.equal("bad_signature");
    const onChain = await chain
      .simulateContract({
        account: named("Ada"),
        address: program.market,
        abi: marketAbi,
        functionName: "swap",
        args: [replayed.order, replayed.signature, adas],
      })
      .catch((error: unknown) => error);
    // (Ben does not hold the stamp either, which the Market checks first.)
    expect(String(onChain)).to.match(/MarketNotHolder|MarketInvalidSignature/);

    // Ada takes the card's swap with her own transaction: the Market checks the passkey's signature (ERC-1271).
    await rewardPoints(walletOf(named("backend")), {
      program,
      reason: "welcome",
      rewards: [{ member: named("Ada"), amount: 100n }],
    });
    await approveMarket(ada, { program });
    await fillSwap(ada, { program, swap: proposed.signed, takerTokenId: adas });
    expect([await ownerOf(mine), await ownerOf(adas)]).to.deep.equal([named("Ada"), member]);

    // Ada proposes a swap for the card's other stamp; the card takes it: the fees approved and the swap, one UserOp.
    const adaSwap = await proposeSwap(ada, { program, makerTokenId: adasToo, wantedTokenId: mineToo });
    await server.postOrder({ swap: adaSwap });
    const pointsBefore = await pointsOf(member);
    const [fee, royalty] = await chain.readContract({
      address: program.market,
      abi: marketAbi,
      functionName: "quoteSwap",
      args: [adasToo, mineToo],
    });
    await page.reload();
    const row = swapFor(page, adasToo);
    await row.waitFor({ timeout: 60_000 });
    await row.getByRole("button", { name: "Accept the swap" }).click();
    await page.getByText(/Swap .*: confirmed/).waitFor({ timeout: 120_000 });
    expect([await ownerOf(adasToo), await ownerOf(mineToo)]).to.deep.equal([member, named("Ada")]);
    expect(await pointsOf(member)).to.equal(pointsBefore - fee - royalty);
    // The fees were approved on top of the offer's allowance, not in its place: the offer is still open.
    expect(await marketAllowance(member)).to.equal(50n);
    expect((await server.order(offer!.signed.orderHash)).status).to.equal("open");
    await expectNoCoinNoTransaction(member);

    // Abuse: a swap its maker cancelled after the page showed it: the program server refuses to sponsor it (it
    // would revert, and names the Market's error), the page says why in the member's words, and nothing moves.
    const last = await brandGives(named("Ada"));
    const withdrawn = await proposeSwap(ada, { program, makerTokenId: last, wantedTokenId: adas });
    await server.postOrder({ swap: withdrawn });
    await page.reload();
    await swapFor(page, last).waitFor({ timeout: 60_000 });
    await cancelOrder(ada, { program, order: { swap: withdrawn } });
    const points = await pointsOf(member);
    await swapFor(page, last).getByRole("button", { name: "Accept the swap" }).click();
    const failed = page.getByText(/Swap .*: failed\./);
    await failed.waitFor({ timeout: 120_000 });
    const said = (await failed.textContent()) ?? "";
    expect(said, said).to.contain("This order was cancelled: it cannot be filled.");
    expect([await ownerOf(last), await ownerOf(adas)]).to.deep.equal([named("Ada"), member]);
    expect(await pointsOf(member)).to.equal(points);
    await expectNoCoinNoTransaction(member);
    await page.context().close();
  });

  it("a card-holding guardian approves a minor's request and withdraws it, one sponsored UserOp each; a card that is not her guardian sees nothing to approve, is told so, and its approval is refused; 0 coin", async () => {
    const { page, member: guardian } = await rewardedCard("Gus", 10n);
    const backend = walletOf(named("backend"));
    const server = createProgramServerClient(config.serverUrl);
    // Mia, a minor: the brand attests her link with the card as her guardian; she signs her consent, the brand sends it.
    const mia = createWalletClient({
      account: privateKeyToAccount(generatePrivateKey()),
      chain: backend.chain,
      transport: http(app.rpcUrl),
    }).extend(publicActions);
    const wallet = mia.account.address;
    const commitment = keccak256(toHex(`cust-mia-${wallet}`));
    const attestation = await attestLink(backend, { program, wallet, commitment, minor: true, guardian });
    await submitLink(backend, {
      program,
      consent: await signConsentLink(mia, { program, commitment, purposes: ["rewards"] }),
      attestation,
    });
    const change = await signGuardianRequest(mia, { program, purposes: ["rewards", "marketing"] });
    await server.askGuardian({ change });
    const purposes = async () => (await getConsentLink(chain, { program, wallet }))?.purposes;

    // The guardian's card reads the request (a signed read, ERC-1271) and approves it: its account submits Mia's change.
    await page.goto(`${walletUrl}#/privacy`);
    await page.getByRole("button", { name: "Show requests" }).click();
    const requests = page.getByTestId("guardian-requests");
    await requests.getByText("asks you to allow marketing").waitFor({ timeout: 60_000 });
    await requests.getByRole("button", { name: "Approve" }).click();
    await page.getByText(/Allow marketing .*: confirmed/).waitFor({ timeout: 120_000 });
    expect(await purposes()).to.deep.equal(["rewards", "marketing"]);
    await expectNoCoinNoTransaction(guardian);

    // And withdraws it from the guardian's panel: the account calls the registry itself.
    await page.getByLabel("The minor's wallet").fill(wallet);
    await page.getByRole("button", { name: "Look up" }).click();
    await page.getByRole("button", { name: "Withdraw marketing" }).click();
    await page.getByText(/Withdraw marketing .*: confirmed/).waitFor({ timeout: 120_000 });
    expect(await purposes()).to.deep.equal(["rewards"]);
    await expectNoCoinNoTransaction(guardian);
    await page.context().close();

    // Abuse: another card is not Mia's guardian. Her new request is not shown to it, the panel says it is not her
    // guardian, and a UserOp submitting her change from its account is refused before anything is signed.
    const again = await signGuardianRequest(mia, { program, purposes: ["rewards", "marketing"] });
    await server.askGuardian({ change: again });
    const other = await rewardedCard("Hal", 10n);
    await other.page.goto(`${walletUrl}#/privacy`);
    await other.page.getByRole("button", { name: "Show requests" }).click();
    await other.page.getByTestId("guardian-requests").getByText("No request is waiting for you.").waitFor({ timeout: 60_000 });
    await other.page.getByLabel("The minor's wallet").fill(wallet);
    await other.page.getByRole("button", { name: "Look up" }).click();
    await other.page.getByText("You are not the guardian of this wallet").waitFor();
    expect(await other.page.getByRole("button", { name: "Withdraw marketing" }).count()).to.equal(0);
    const stored = await storedCard(other.page);
    const account = await toMemberAccount({
      client: createPublicClient({ chain: backend.chain, transport: http(app.rpcUrl) }),
      credential: { id: stored.credentialId, publicKey: stored.publicKey },
      factory: accounts.factory,
      address: other.member,
    });
    const refused = await prepareSponsoredUserOperation(chain, {
      account,
      calls: guardianApprovalCalls({ program, change: again }),
      sponsor: (op) => server.sponsorUserOperation(op),
    }).catch((error: unknown) => error);
    expect(refused).to.be.instanceOf(ProgramServerError);
    expect((refused as ProgramServerError).code).to.equal("would_revert");
    expect(await purposes()).to.deep.equal(["rewards"]);
    await expectNoCoinNoTransaction(other.member);
    await other.page.context().close();
  });
});
