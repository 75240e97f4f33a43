/**
 * `punchcard demo`: a whole loyalty program, step by step, on Hardhat's in-process chain (in a Hardhat
 * project) or on any development node with unlocked accounts (--rpc): deploy, series, batch rewards, a
 * purchase credited once (pending 14 days), a refunded purchase reversed while pending, a journey paid by a brand-signed voucher, a referral, a tier-up that unlocks a perk and
 * its claim, wallets linked with consent, trades with the brand's royalty, a redemption, a guardian withdrawing a
 * minor's marketing consent, the minor coming of age, a revocation, an erasure, points expiring after a year without
 * activity (the chain's clock moved forward), points converted into a partner program deployed in the demo, then the
 * ledger, and last the end of
 * the program announced with its notice. Every step goes through the SDK's public entry points, as a
 * brand's backend, a member's wallet or an analyst would. Exits non-zero if any step fails.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  createWalletClient,
  custom,
  formatEther,
  hexToString,
  isAddressEqual,
  publicActions,
  type Address,
  type Hex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { exampleProgramConfig } from "../config/exampleProgram.js";
import { deployPartnerExchange, deployProgram } from "../deploy.js";
import {
  acceptExchange,
  announceProgramEnd,
  approveMarket,
  convertPoints,
  buyStamp,
  claimPerk,
  ContractRevertError,
  creditPurchase,
  encodeStampId,
  expirePoints,
  fillSwap,
  getBalances,
  getPointsLifecycle,
  getProgramInfo,
  getConsentLink,
  hasConsent,
  listStamp,
  mintStamps,
  perksOf,
  proposeExchange,
  proposeSwap,
  quoteExchange,
  readLedger,
  createProgramServerClient,
  marketAbi,
  stampsAbi,
  signPointsPermit,
  signPurchase,
  receiptIdOf,
  redeemPoints,
  redeemVoucher,
  reversePurchase,
  revokeAllConsent,
  rewardPoints,
  signComingOfAge,
  signConsentChange,
  signConsentLink,
  signGuardianApproval,
  signVoucher,
  tierOf,
  signGuardianWithdrawal,
  setMinRoyalty,
  type LedgerEntry,
  type Program,
  type ProgramConfig,
} from "../index.js";
import { LinkStore } from "../node.js";
import { startProgramServer } from "../server/start.js";

import { accountsOf } from "./clients.js";
import { defineCommand } from "./command.js";
import { amountStyle, purposesText } from "./ledger.js";

type Client = Awaited<ReturnType<typeof accountsOf>>[number];

const short = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

export interface DemoResult {
  program: Program;
  /** The config deployed (the example program with the demo's treasury and minter), and its hash. */
  config: ProgramConfig;
  configHash: Hex;
  /** The account that deployed the program (the brand's admin). */
  deployer: Address;
  entries: LedgerEntry[];
  /** Who each of the chain's accounts plays, by lower-case address: "brand", "Ada", "Cleo's parent"… */
  names: Map<string, string>;
}

export interface DemoOptions {
  /** A development node with at least 11 unlocked accounts; absent: Hardhat's in-process chain. */
  rpc?: string;
  /** Where each line goes (default: standard output). */
  log?: (line: string) => void;
}

/**
 * Runs the demo program from deploy to ledger, printing each step.
 *
 * @example
 * const { program, entries } = await runDemo({ rpc: "http://127.0.0.1:8545" });
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const started = Date.now();
  let stepNumber = 0;
  const step = (title: string) => {
    stepNumber++;
    log(`\n[${((Date.now() - started) / 1000).toFixed(1)} s] step ${stepNumber}: ${title}`);
  };
  const say = (line: string) => log(`  ${line}`);
  try {
    return await demoSteps(await accountsOf(options.rpc), step, say);
  } catch (error) {
    throw Object.assign(error instanceof Error ? error : new Error(String(error)), { demoStep: stepNumber });
  }
}

async function demoSteps(accounts: Client[], step: (title: string) => void, say: (line: string) => void): Promise<DemoResult> {
  if (accounts.length < 11) throw new Error(`the demo needs 11 unlocked accounts; the chain has ${accounts.length}`);
  const [brand, backend, treasury, ...rest] = accounts as [Client, Client, Client, ...Client[]];
  const members = rest.slice(0, 5);
  const names = new Map<string, string>([
    [brand.account.address.toLowerCase(), "brand"],
    [backend.account.address.toLowerCase(), "backend"],
    [treasury.account.address.toLowerCase(), "treasury"],
  ]);
  const memberNames = ["Ada", "Ben", "Cleo", "Dev", "Eli"];
  for (const [i, m] of members.entries()) names.set(m.account.address.toLowerCase(), memberNames[i]!);
  const [ada, ben, cleo, dev, eli] = members as [Client, Client, Client, Client, Client];
  const guardian = rest[5]!;
  names.set(guardian.account.address.toLowerCase(), "Cleo's parent");
  const fay = rest[6]!;
  names.set(fay.account.address.toLowerCase(), "Fay");
  const skyline = rest[7]!;
  names.set(skyline.account.address.toLowerCase(), "Skyline Air");

  step("deploy the example program (programs/example.json)");
  const example = exampleProgramConfig;
  const { program, config, configHash } = await deployProgram(brand, {
    config: {
      ...example,
      treasury: treasury.account.address,
      roles: { ...example.roles, minter: backend.account.address },
    },
    onStep: say,
  });
  say(`Stamps ${program.stamps}, Points ${program.points} on chain ${program.chainId}`);

  step("the config's series, journeys, tiers and perks, set up by the deployment");
  const [cupSeries, journeySeries] = config.series;
  const cup = { seriesId: 1n };
  const journey = { seriesId: 2n };
  say(`series ${cup.seriesId}: "${cupSeries!.name}", ${cupSeries!.maxSupply} editions, tradable`);
  say(`series ${journey.seriesId}: "${journeySeries!.name}", soulbound`);
  for (const j of config.journeys) say(`journey "${j.id}": ${j.name}${j.referral ? " (a referral)" : ""}`);
  say(`tiers: ${config.tiers.map((t) => `${t.name} at ${t.threshold} status points`).join(", ")}`);
  for (const p of config.perks) say(`perk "${p.id}": ${p.description}`);

  step("reward five members with stamps and points, in one batch each");
  const everyone = members.map((m) => m.account.address);
  const minted = await mintStamps(backend, { program, seriesId: cup.seriesId, to: everyone });
  say(`minted ${minted.stamps.map((s) => `#${s.edition}→${names.get(s.to.toLowerCase())}`).join(", ")} in one transaction`);
  const rewarded = await rewardPoints(backend, {
    program,
    reason: "welcome-bonus",
    rewards: members.map((m, i) => ({ member: m.account.address, amount: BigInt(100 + 50 * i) })),
  });
  say(
    `rewarded ${rewarded.rewarded.map((r) => `${names.get(r.member.toLowerCase())} ${r.amount}`).join(", ")} ${config.points.symbol}`,
  );

  step("credit points bought with money, once per receipt");
  const receiptId = receiptIdOf("order-2026-000123", "demo-brand-secret");
  await creditPurchase(backend, { program, member: cleo.account.address, amount: 500n, receiptId });
  say(`credited 500 ${config.points.symbol} to Cleo for receipt ${receiptId.slice(0, 10)}…`);
  try {
    await creditPurchase(backend, { program, member: cleo.account.address, amount: 500n, receiptId });
    throw new Error("the duplicate credit was accepted");
  } catch (error) {
    if (!(error instanceof ContractRevertError) || error.errorName !== "PointsReceiptAlreadyCredited") throw error;
    say(`duplicate credit refused: ${error.errorName}: ${error.shortMessage}`);
  }
  const cleoPoints = await getPointsLifecycle(backend, { program, member: cleo.account.address });
  say(
    `bought points stay pending ${config.points.pendingDays} days: Cleo holds ${cleoPoints.balance}, ${cleoPoints.pending} pending, ${cleoPoints.spendable} spendable`,
  );

  step("a refunded purchase, reversed while its points are pending");
  const refunded = receiptIdOf("order-2026-000125", "demo-brand-secret");
  await creditPurchase(backend, { program, member: dev.account.address, amount: 80n, receiptId: refunded });
  say(`credited 80 ${config.points.symbol} to Dev for receipt ${refunded.slice(0, 10)}…, pending`);
  const reversal = await reversePurchase(backend, { program, receiptId: refunded });
  say(
    `the purchase was refunded: reversePurchase burned ${reversal.burned} of ${reversal.amount} ${config.points.symbol} (shortfall ${reversal.shortfall}): nothing pending can have been spent`,
  );
  try {
    await creditPurchase(backend, { program, member: dev.account.address, amount: 80n, receiptId: refunded });
    throw new Error("a reversed receipt was credited again");
  } catch (error) {
    if (!(error instanceof ContractRevertError) || error.errorName !== "PointsReceiptReversed") throw error;
    say(`crediting the refunded receipt again: refused (${error.errorName})`);
  }

  step("journeys: completions paid by vouchers the brand signs, redeemed by the member or a relayer");
  const visits = { journeyId: "five-visits", stamps: 1n, points: 50n };
  const adaVoucher = await signVoucher(backend, { program, member: ada.account.address, ...visits });
  say(`Ada's five visits were checked by the brand's backend: it signed voucher ${adaVoucher.order.voucherId.slice(0, 10)}…`);
  const adaDone = await redeemVoucher(ada, { program, voucher: adaVoucher });
  say(
    `Ada redeemed it: ${adaDone.completion.stamps} soulbound "${journeySeries!.name}" stamp and ${adaDone.completion.points} ${config.points.symbol}`,
  );
  try {
    await redeemVoucher(ada, { program, voucher: adaVoucher });
    throw new Error("a replayed voucher was accepted");
  } catch (error) {
    if (!(error instanceof ContractRevertError) || error.errorName !== "RewardsVoucherAlreadyRedeemed") throw error;
    say(`redeeming it again: refused (${error.errorName})`);
  }
  const benVoucher = await signVoucher(backend, { program, member: ben.account.address, ...visits });
  await redeemVoucher(backend, { program, voucher: benVoucher });
  say("Ben's voucher was redeemed by the brand's relayer: Ben paid no gas, and only Ben was paid");
  const referral = await signVoucher(backend, {
    program,
    member: ada.account.address,
    journeyId: "refer-a-friend",
    points: 100n,
    referee: fay.account.address,
  });
  await redeemVoucher(ada, { program, voucher: referral });
  say(`Ada referred Fay, a new member: ${referral.order.points} ${config.points.symbol}, once for this pair`);
  const adaTier = await tierOf(ada, { program, member: ada.account.address });
  const tierName = config.tiers[adaTier.tier - 1]?.name ?? "none";
  say(
    `tier-up: Ada has ${adaTier.status} status points, tier ${adaTier.tier} (${tierName}): every point rewarded counts (the batch, the journey, the referral), and status points are never spent`,
  );
  const perkIds = config.perks.map((p) => p.id);
  const unlocked = (await perksOf(ada, { program, member: ada.account.address, perkIds }))
    .map((p, i) => (p.unlocked ? perkIds[i] : undefined))
    .filter(Boolean);
  say(`perks Ada unlocked (isUnlocked, one view call each): ${unlocked.join(", ")}`);
  const { claim } = await claimPerk(ada, { program, perkId: "free-refill" });
  const [refill] = await perksOf(ada, { program, member: ada.account.address, perkIds: ["free-refill"] });
  say(
    `Ada claimed free-refill in claim period ${claim.period} (one a week): the shop checks isClaimed = ${refill!.claimed}, so not twice`,
  );
  const eliCup = encodeStampId(cup.seriesId, 5n);
  const { claim: cake } = await claimPerk(eli, { program, perkId: "cup-for-a-cake", tokenId: eliCup });
  say(
    `Eli spent his stamp ${cake.stampBurned} on cup-for-a-cake: he approved Rewards for that one stamp, which burned it; no role can spend a member's stamp`,
  );

  step("members link their wallets with consent, purpose by purpose (Cleo is a minor)");
  const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-demo-"));
  const store = await LinkStore.open(path.join(storeDir, "links.sqlite"), { program, brand: backend });
  say(
    `the brand keeps customer id ↔ wallet ↔ salt in its own store (${path.join(storeDir, "links.sqlite")}); on-chain only a salted commitment`,
  );
  const plans: Array<[Client, string, Array<"rewards" | "analytics" | "marketing" | "partnerSharing">]> = [
    [ada, "cust-0001", ["rewards", "analytics"]],
    [ben, "cust-0002", ["rewards", "analytics", "marketing"]],
    [dev, "cust-0004", ["rewards"]],
    [eli, "cust-0005", ["rewards", "analytics", "partnerSharing"]],
  ];
  for (const [member, customerId, purposes] of plans) {
    const { commitment } = await store.prepareLink({ customerId, wallet: member.account.address });
    const consent = await signConsentLink(member, { program, commitment, purposes });
    await store.link({ customerId, consent });
    say(
      `${names.get(member.account.address.toLowerCase())} signed consent for ${purposes.join(", ")}; the brand relayed it (member paid no gas)`,
    );
  }
  const minorLink = await store.prepareLink({ customerId: "cust-0003", wallet: cleo.account.address });
  const cleoConsent = await signConsentLink(cleo, {
    program,
    commitment: minorLink.commitment,
    purposes: ["rewards", "marketing"],
  });
  try {
    await store.link({ customerId: "cust-0003", consent: cleoConsent, minor: true, guardian: guardian.account.address });
    throw new Error("a minor's marketing consent was accepted without the guardian");
  } catch (error) {
    if (!(error instanceof ContractRevertError) || error.errorName !== "ConsentGuardianRequired") throw error;
    say(`Cleo (a minor) asked for marketing: refused without her guardian (${error.errorName})`);
  }
  const approval = await signGuardianApproval(guardian, { program, message: cleoConsent.message });
  await store.link({
    customerId: "cust-0003",
    consent: cleoConsent,
    minor: true,
    guardian: guardian.account.address,
    guardianSignature: approval,
  });
  say("her guardian approved: Cleo is linked for rewards and marketing");

  step("members trade stamps: a sale for points, a sale for the native coin, and a swap");
  for (const m of members) await approveMarket(m, { program });
  say("each member approved the Market once (setApprovalForAll); listing itself costs no gas");
  await setMinRoyalty(brand, { program, currency: program.points, minRoyalty: 5n });
  say(
    `the program is market-only with gifts off, so every trade pays the royalty: the brand sets at least 5 ${config.points.symbol} per trade in points, which is also what a swap pays`,
  );
  const adaCup = encodeStampId(cup.seriesId, 1n);
  const forPoints = await listStamp(ada, { program, tokenId: adaCup, price: 120n, currency: program.points });
  say(`Ada signed a listing of stamp ${adaCup} for 120 ${config.points.symbol} (order ${forPoints.orderHash.slice(0, 10)}…)`);
  const sale1 = (await buyStamp(ben, { program, listing: forPoints })).sale;
  say(
    `Ben bought it: Ada got ${sale1.sellerAmount}, the brand's royalty ${sale1.royaltyAmount}, market fee ${sale1.fee} ${config.points.symbol}`,
  );
  const cleoCup = encodeStampId(cup.seriesId, 3n);
  const forCoin = await listStamp(cleo, { program, tokenId: cleoCup, price: 10n ** 17n });
  const sale2 = (await buyStamp(eli, { program, listing: forCoin })).sale;
  say(
    `Eli bought Cleo's stamp ${cleoCup} for ${formatEther(sale2.price)} ETH: royalty ${formatEther(sale2.royaltyAmount)} ETH to the treasury`,
  );
  const devCup = encodeStampId(cup.seriesId, 4n);
  const swap = await proposeSwap(dev, { program, makerTokenId: devCup, wantedTokenId: adaCup });
  const swapped = (await fillSwap(ben, { program, swap, takerTokenId: adaCup })).swap;
  say(
    `Dev and Ben swapped stamps ${swapped.makerTokenId} and ${swapped.takerTokenId} in one transaction; Ben paid the brand a royalty of ${swapped.royaltyAmount} ${config.points.symbol}`,
  );

  step("a member with no native coin buys a stamp through the program server: she signs, the brand's relayer sends");
  // Gia's key lives in her own wallet (a local account) and has never held a wei: she can only sign.
  const gia = createWalletClient({
    account: privateKeyToAccount(generatePrivateKey()),
    chain: brand.chain,
    transport: custom({ request: brand.request }),
  }).extend(publicActions);
  const giaAddress = gia.account.address;
  names.set(giaAddress.toLowerCase(), "Gia");
  await rewardPoints(backend, { program, reason: "welcome-bonus", rewards: [{ member: giaAddress, amount: 150n }] });
  say(`Gia joined with 150 ${config.points.symbol} and ${formatEther(await gia.getBalance({ address: giaAddress }))} ETH`);
  // The program server (what `punchcard serve` runs), in this process on a loopback port: its order book in
  // memory, its relayer the brand's backend key.
  const server = await startProgramServer({
    program,
    client: brand,
    db: ":memory:",
    port: 0,
    relayer: backend,
    pollingInterval: 50,
  });
  try {
    say(`the program server is up at ${server.url}: an order book, and a relayer paying from the brand's key`);
    const market = createProgramServerClient(server.url);
    const forGia = await listStamp(eli, { program, tokenId: cleoCup, price: 100n, currency: program.points });
    const posted = await market.postOrder({ listing: forGia });
    say(`Eli posted a listing of stamp ${cleoCup} for 100 ${config.points.symbol} (POST /orders): ${posted.status}`);
    const { orders } = await market.listings({ seriesId: cup.seriesId, currency: program.points });
    const found = orders.find((o) => o.signed.orderHash === forGia.orderHash);
    if (found?.kind !== "listing") throw new Error("Eli's listing is not in the server's book");
    say(
      `Gia found it (GET /listings?seriesId=${cup.seriesId}): stamp ${found.signed.order.tokenId} for ${found.signed.order.price} ${config.points.symbol}, ${orders.length} open listing(s)`,
    );
    const purchase = await signPurchase(gia, { program, listing: found.signed });
    const permit = await signPointsPermit(gia, { program, value: found.signed.order.price });
    say(`Gia signed a purchase of it and a permit for exactly ${found.signed.order.price}, and sent both to POST /relay/buy`);
    const [sellerAmount, royaltyAmount, fee] = await brand.readContract({
      address: program.market,
      abi: marketAbi,
      functionName: "quoteSale",
      args: [cleoCup, program.points, found.signed.order.price],
    });
    const eliBefore = (await getBalances(brand, { program, member: eli.account.address })).points;
    const relayed = await market.relay("buy", { listing: found.signed, purchase, permit });
    const eliGot = (await getBalances(brand, { program, member: eli.account.address })).points - eliBefore;
    if (eliGot !== sellerAmount) throw new Error(`Eli got ${eliGot}, not the ${sellerAmount} quoted`);
    say(
      `the brand's relayer sent her permit and the match: Eli got ${eliGot}, the brand's royalty ${royaltyAmount}, fee ${fee} ${config.points.symbol}; Gia has ${relayed.remainingToday} relayed actions left today`,
    );
    for (let i = 0; i < 200 && (await market.order(forGia.orderHash)).status === "open"; i++)
      await new Promise((r) => setTimeout(r, 25));
    const after = await market.order(forGia.orderHash);
    if (after.status !== "filled") throw new Error(`the server says Eli's listing is ${after.status}, not filled`);
    say(`the server's book now answers Eli's listing as ${after.status}: ${after.reason?.replace(giaAddress, "Gia")}`);
  } finally {
    await server.close();
  }
  const giaNative = await gia.getBalance({ address: giaAddress });
  const giaSent = await gia.getTransactionCount({ address: giaAddress });
  const holder = await brand.readContract({ address: program.stamps, abi: stampsAbi, functionName: "ownerOf", args: [cleoCup] });
  if (!isAddressEqual(holder, giaAddress)) throw new Error(`the relayed sale went to ${holder}`);
  if (giaNative !== 0n || giaSent !== 0) throw new Error(`Gia paid gas: ${giaNative} wei, ${giaSent} transactions`);
  say(
    `Gia owns stamp ${cleoCup}, still holds ${formatEther(giaNative)} ETH and sent ${giaSent} transactions; the server stopped`,
  );

  step("a member redeems points");
  await redeemPoints(dev, { program, amount: 120n, rewardId: "free-coffee" });
  const devBalance = await getBalances(dev, { program, member: dev.account.address });
  say(`Dev redeemed 120 ${config.points.symbol} for "free-coffee"; ${devBalance.points} left`);

  step("a partner brand: Northwind Beans convert into Skyline Miles");
  const partner = await deployProgram(skyline, {
    config: {
      ...example,
      brand: "Skyline Air",
      stamps: { name: "Skyline Stamps", symbol: "SKYSTAMP", contractURI: "" },
      points: {
        name: "Skyline Miles",
        symbol: "MILES",
        decimals: 0,
        transferable: true,
        pendingDays: 0,
        expiry: { model: "none" },
      },
      treasury: skyline.account.address,
      series: [],
      journeys: [],
      tiers: [],
      perks: [],
    },
  });
  say(`Skyline Air deployed its own program in this demo: Points ${partner.program.points}`);
  const { exchange } = await deployPartnerExchange(brand, {});
  names.set(exchange.toLowerCase(), "exchange");
  const { timestamp: today } = await brand.getBlock();
  const { id: exchangeId } = await proposeExchange(brand, {
    exchange,
    program,
    terms: {
      pointsA: program.points,
      pointsB: partner.program.points,
      rateA: 10n,
      rateB: 3n,
      memberCap: 200n,
      periodCap: 10_000n,
      periodSeconds: 30n * 86_400n,
      endsAt: today + 365n * 86_400n,
      consentA: program.consent,
    },
  });
  const proposed = await quoteExchange(eli, { exchange, id: exchangeId, amount: 100n });
  say(
    `Northwind proposed exchange ${exchangeId}: 10 ${config.points.symbol} for 3 MILES, at most 200 a member and 10,000 in all per 30 days, for a year, partner-sharing consent required; in effect: ${proposed.active}`,
  );
  await acceptExchange(skyline, { exchange, program: partner.program, id: exchangeId });
  const accepted = await quoteExchange(eli, { exchange, id: exchangeId, amount: 100n, member: eli.account.address });
  say(`Skyline Air's admin accepted it on-chain; in effect: ${accepted.active}`);
  try {
    await convertPoints(ada, { exchange, id: exchangeId, amount: 100n });
    throw new Error("a conversion without partner-sharing consent was accepted");
  } catch (error) {
    if (!(error instanceof ContractRevertError) || error.errorName !== "ExchangeConsentRequired") throw error;
    say(`Ada never consented to partner sharing: her conversion is refused (${error.errorName})`);
  }
  const conversion = await convertPoints(eli, { exchange, id: exchangeId, amount: 100n });
  const miles = await getBalances(eli, { program: partner.program, member: eli.account.address });
  say(
    `Eli (partner sharing granted) converted ${conversion.burned} ${config.points.symbol} into ${conversion.credited} MILES in one transaction (quoted ${accepted.credited}); he holds ${miles.points} MILES at Skyline Air`,
  );

  step("a guardian withdraws a minor's marketing consent; later the minor comes of age");
  const cleoWallet = cleo.account.address;
  const withdrawal = await signGuardianWithdrawal(guardian, { program, wallet: cleoWallet, purposes: ["marketing"] });
  await store.relayGuardianWithdrawal({ withdrawal });
  say(
    `Cleo's parent withdrew her marketing consent (signed; the brand relayed it): hasConsent(marketing) = ${await hasConsent(cleo, { program, wallet: cleoWallet, purpose: "marketing" })}`,
  );
  await store.comeOfAge({ request: await signComingOfAge(cleo, { program }) });
  const grownUp = await getConsentLink(cleo, { program, wallet: cleoWallet });
  say(
    `Cleo came of age (the brand attested it, she signed): minor = ${grownUp?.minor}, guardian removed, purposes kept: ${grownUp?.purposes.join(", ")}`,
  );
  await store.updatePurposes({ change: await signConsentChange(cleo, { program, purposes: ["rewards", "marketing"] }) });
  say(
    `Cleo granted marketing again on her own signature alone: hasConsent(marketing) = ${await hasConsent(cleo, { program, wallet: cleoWallet, purpose: "marketing" })}`,
  );

  step("a member revokes analytics consent, another is forgotten");
  await store.updatePurposes({ change: await signConsentChange(ada, { program, purposes: ["rewards"] }) });
  say(
    `Ada withdrew analytics (kept rewards): hasConsent(analytics) = ${await hasConsent(ada, { program, wallet: ada.account.address, purpose: "analytics" })}`,
  );
  await revokeAllConsent(dev, { program });
  say("Dev revoked everything himself, in one call from his wallet");
  const forgotten = await store.forget({ customerId: "cust-0005" });
  say(
    `Eli asked to be forgotten: unlinked on-chain (${forgotten.unlinkedOnChain}), customer id and salt erased from the brand's store`,
  );
  const exported = await store.exportMemberData({ customerId: "cust-0002" });
  say(
    `Ben's data export: ${exported.purposesHistory.length} consent change(s), ${exported.ledger.length} ledger entries, purposes now ${exported.onChain?.purposes.join(", ")}`,
  );
  await store.close();
  fs.rmSync(storeDir, { recursive: true, force: true });

  step(`points expire after ${config.points.expiry.days} days without activity`);
  const days = async (count: number) => {
    await brand.request({ method: "evm_increaseTime", params: [count * 86_400] } as never);
    await brand.request({ method: "evm_mine", params: [] } as never);
  };
  await days(config.points.expiry.days - 20);
  const warning = await getPointsLifecycle(backend, { program, member: ben.account.address, withinDays: 30 });
  const expiresOn = new Date(Number(warning.expiresAt ?? 0n) * 1000).toISOString().slice(0, 10);
  say(
    `${config.points.expiry.days - 20} days later the app warns Ben: ${warning.expiring} ${config.points.symbol} expire on ${expiresOn}`,
  );
  await redeemPoints(ada, { program, amount: 10n, rewardId: "free-coffee" });
  say(`Ada redeems 10 ${config.points.symbol}: any earn or spend restarts her ${config.points.expiry.days} days`);
  await days(30);
  const expired = await getPointsLifecycle(backend, { program, member: ben.account.address });
  say(`30 days on, Ben's ${expired.balance} ${config.points.symbol} have expired: spendable ${expired.spendable}`);
  const burnedByExpiry = await expirePoints(fay, { program, member: ben.account.address });
  say(
    `Fay, anyone, sent expirePoints for Ben: ${burnedByExpiry.expired} ${config.points.symbol} burned with a PointsExpired event (never a silent shrink)`,
  );
  const adaLeft = await getPointsLifecycle(backend, { program, member: ada.account.address });
  say(`Ada's ${adaLeft.spendable} ${config.points.symbol} are still spendable`);

  step("the transparent ledger: every event, in order, with time");
  const entries = await readLedger(brand, { program });
  const style = amountStyle(program.points, {
    pointsSymbol: config.points.symbol,
    pointsDecimals: config.points.decimals,
    nativeSymbol: "ETH",
    nativeDecimals: 18,
  });
  const codeText = (code: Hex | null) => (code ? hexToString(code, { size: 32 }).replace(/\0+$/, "") : "");
  const amountOf = (e: LedgerEntry): string => {
    if (e.amount === null) return "";
    if (e.kind.startsWith("consent.")) return purposesText(e.amount);
    if (e.kind === "series.created") return `max ${e.amount}`;
    if (e.currency !== null) {
      const royalty = e.royalty !== null ? `, royalty ${style.currency(e.currency, e.royalty)}` : "";
      return `price ${style.currency(e.currency, e.amount)}${royalty}`;
    }
    if (e.kind === "journey.completed") return `${codeText(e.code)}, earned ${style.points(e.amount)}`;
    if (e.kind === "perk.claimed") return `${codeText(e.code)}, burned ${style.points(e.amount)}`;
    return e.kind.startsWith("points.") ? style.points(e.amount) : `amount ${e.amount}`;
  };
  for (const e of entries) {
    const who = e.actor ? (names.get(e.actor.toLowerCase()) ?? short(e.actor)) : "";
    const detail = [e.tokenId !== null ? `stamp ${e.tokenId}` : "", amountOf(e)].filter(Boolean).join(" ");
    say(
      `${new Date(e.blockTime * 1000).toISOString()} #${e.blockNumber}.${e.logIndex} ${e.kind.padEnd(18)} ${who.padEnd(8)} ${detail}`,
    );
  }

  step("summary");
  const sum = (kind: string) => entries.filter((e) => e.kind === kind).reduce((total, e) => total + (e.amount ?? 0n), 0n);
  const issued = sum("points.minted");
  const burned = sum("points.burned");
  const points = style.points;
  say(`points issued ${points(issued)}, redeemed ${points(sum("points.redeemed"))}, outstanding ${points(issued - burned)}`);
  say(
    `points reversed for refunds ${points(sum("points.purchase.reversed"))} (credited, then burned), expired ${points(sum("points.expired"))}`,
  );
  const converted = entries
    .filter((e) => e.kind === "points.redeemed" && names.get(e.actor?.toLowerCase() ?? "") === "exchange")
    .reduce((total, e) => total + (e.amount ?? 0n), 0n);
  say(`points converted into partner programs ${points(converted)} (redeemed by the exchange)`);
  say(`stamps minted ${entries.filter((e) => e.kind === "stamp.minted").length}`);
  const completions = entries.filter((e) => e.kind === "journey.completed");
  say(
    `journeys completed ${completions.length} (vouchers redeemed), perks claimed ${entries.filter((e) => e.kind === "perk.claimed").length}`,
  );
  const trades = entries.filter((e) => e.kind === "order.filled" || e.kind === "offer.accepted" || e.kind === "orders.matched");
  say(`trades ${trades.length}, swaps ${entries.filter((e) => e.kind === "swap").length}`);
  say(
    `consent: ${entries.filter((e) => e.kind === "consent.linked").length} links, ${entries.filter((e) => e.kind === "consent.revoked").length} full revocations, ${entries.filter((e) => e.kind === "consent.unlinked").length} unlinks`,
  );
  const royalties = new Map<Address, bigint>();
  for (const t of trades) royalties.set(t.currency!, (royalties.get(t.currency!) ?? 0n) + (t.royalty ?? 0n));
  // A swap's royalty is paid in points.
  const pointsKey = [...royalties.keys()].find((c) => isAddressEqual(c, program.points)) ?? program.points;
  for (const s of entries.filter((e) => e.kind === "swap"))
    royalties.set(pointsKey, (royalties.get(pointsKey) ?? 0n) + (s.royalty ?? 0n));
  for (const [currency, amount] of royalties) {
    say(`royalties earned: ${style.currency(currency, amount)}`);
  }

  step("the end of the program announced");
  const { endsAt, noticePeriodSeconds } = await announceProgramEnd(brand, { program });
  const { lifecycle } = await getProgramInfo(brand, { program });
  say(
    `notice period ${noticePeriodSeconds / 86_400n} days: the program is ${lifecycle.status} and ends at ${new Date(Number(endsAt) * 1000).toISOString()}`,
  );
  try {
    await creditPurchase(backend, {
      program,
      member: ada.account.address,
      amount: 10n,
      receiptId: receiptIdOf("order-2026-000124", "demo-brand-secret"),
    });
    throw new Error("a purchase was credited during the notice");
  } catch (error) {
    if (!(error instanceof ContractRevertError) || error.errorName !== "PointsSalesClosed") throw error;
    say(`until then members redeem and trade, but no points are sold: ${error.errorName}`);
  }
  say("afterwards stamps stay with their holders and point balances freeze, readable for ever");
  return { program, config, configHash, deployer: brand.account.address, entries, names };
}

export const demoCommand = defineCommand({
  name: "demo",
  summary:
    "Run a whole loyalty program, step by step: deploy, reward, link with consent, trade with royalty, redeem, forget, read the ledger.",
  usage: "[--rpc <url>]",
  options: {
    rpc: {
      type: "string",
      value: "<url>",
      description: "a development node with 11+ unlocked accounts (npx hardhat node); default: Hardhat's in-process chain",
    },
  },
  notes: "The in-process chain needs Hardhat installed and a hardhat.config in the current folder (this repository has both).",
  async run({ values, out, err }) {
    const started = Date.now();
    try {
      await runDemo({ ...(values.rpc ? { rpc: values.rpc } : {}), log: (line) => out(`${line}\n`) });
    } catch (error) {
      const stepNumber = (error as { demoStep?: number }).demoStep;
      const where = stepNumber ? `failed at step ${stepNumber}` : "could not start";
      err(`\nDemo ${where}: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
    out(`\nDemo finished in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
    return 0;
  },
});
