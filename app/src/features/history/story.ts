import { decodeStampId, maskToPurposes, type LedgerEntry, type SeriesInfo } from "@punchcard/sdk";
import { isAddressEqual, zeroAddress, type Address, type Hash } from "viem";
import type { LoadedConfig, TestAccount } from "../../appConfig.js";
import { formatAmountIn, formatCount } from "../../i18n/format.js";
import { say } from "../../i18n/i18n.js";
import { codeText, codeWords, listText, personName, purposesText } from "../../words.js";

/** One thing that happened to the member: one transaction, told in one sentence from the member's side. */
export interface HistoryItem {
  txHash: Hash;
  /** Unix seconds of the block. */
  blockTime: number;
  sentence: string;
  /** The member's points in and out in this transaction, added up (negative: they left the wallet). */
  points: bigint;
  /** The ledger entries the sentence tells, for "details". */
  entries: LedgerEntry[];
}

/** What a sentence needs to name things: the member, the brand, people, stamps, perks and amounts with units. */
export interface StoryWords {
  member: Address;
  brand: string;
  accounts: TestAccount[] | undefined;
  seriesOf: Map<bigint, SeriesInfo>;
  /** An amount in a trade's currency, with its unit ("100 BEANS", "0.1 ETH"). */
  money: (currency: Address, amount: bigint) => string;
  points: (amount: bigint) => string;
  /** A perk's name from the config, by its id ("free-refill"). */
  perkName: (id: string) => string | undefined;
}

/** The words of the app's program (program.json) for a member, given the program's series. */
export function storyWordsOf(app: LoadedConfig, member: Address, series: readonly SeriesInfo[]): StoryWords {
  const { program, units } = app;
  const points = (n: bigint) => formatAmountIn(n, units.pointsDecimals, units.pointsSymbol);
  return {
    member,
    brand: app.brand,
    accounts: app.testAccounts,
    seriesOf: new Map(series.map((s) => [s.seriesId, s])),
    points,
    money: (currency, n) =>
      isAddressEqual(currency, program.points) ? points(n) : formatAmountIn(n, units.nativeDecimals, units.nativeSymbol),
    perkName: (id) => app.perks.find((p) => p.id === id)?.name,
  };
}

const SALES = new Set(["order.filled", "offer.accepted", "orders.matched"]);

/**
 * The member's history, newest first: the program's ledger grouped by transaction (a reward's "Points rewarded" and
 * its "Points issued" are one thing that happened), each told once with its direction. Transactions that touch the
 * member without anything to tell them (a role or a setting) are left out.
 */
export function historyOf(ledger: readonly LedgerEntry[], words: StoryWords): HistoryItem[] {
  const byTx = new Map<Hash, LedgerEntry[]>();
  for (const e of ledger) byTx.set(e.txHash, [...(byTx.get(e.txHash) ?? []), e]);
  const items: HistoryItem[] = [];
  for (const [txHash, entries] of byTx) {
    const mine = entries.filter((e) => isAbout(e, words.member));
    if (mine.length === 0) continue;
    const points = netPoints(entries, words.member);
    const sentence = tell(entries, mine, points, words);
    if (sentence) items.push({ txHash, blockTime: entries[0]!.blockTime, sentence, points, entries: mine });
  }
  return items.reverse();
}

/** Whether an entry is about the member: they are its actor or its counterparty. */
export function isAbout(entry: LedgerEntry, member: Address): boolean {
  return [entry.actor, entry.counterparty].some((who) => who !== null && isAddressEqual(who, member));
}

const is = (who: Address | null, member: Address) => who !== null && isAddressEqual(who, member);

function netPoints(entries: readonly LedgerEntry[], member: Address): bigint {
  let net = 0n;
  for (const e of entries) {
    if (e.contract !== "points" || e.amount === null) continue;
    if ((e.kind === "points.minted" || e.kind === "points.transferred") && is(e.actor, member)) net += e.amount;
    if ((e.kind === "points.transferred" && is(e.counterparty, member)) || (e.kind === "points.burned" && is(e.actor, member)))
      net -= e.amount;
  }
  return net;
}

/** A stamp by its series' name and edition: "Autumn Cup #6". */
export function stampName(tokenId: bigint, seriesOf: Map<bigint, SeriesInfo>): string {
  const { seriesId, edition } = decodeStampId(tokenId);
  return `${seriesOf.get(seriesId)?.name ?? say("story.aStamp")} #${formatCount(edition)}`;
}

function tell(all: LedgerEntry[], mine: LedgerEntry[], net: bigint, w: StoryWords): string | undefined {
  const { member, brand } = w;
  const who = (address: Address | null) => (address === null ? say("story.someone") : personName(w.accounts, address));
  const find = (kind: string) => mine.find((e) => e.kind === kind);
  const stamps = (filter: (e: LedgerEntry) => boolean) =>
    all.filter((e) => e.tokenId !== null && e.contract === "stamps" && filter(e)).map((e) => stampName(e.tokenId!, w.seriesOf));
  const stampsIn = stamps((e) => (e.kind === "stamp.minted" || e.kind === "stamp.transferred") && is(e.actor, member));

  const sale = mine.find((e) => SALES.has(e.kind));
  if (sale && sale.amount !== null && sale.currency !== null && sale.tokenId !== null) {
    const pay = (n: bigint) => w.money(sale.currency!, n);
    const stamp = stampName(sale.tokenId, w.seriesOf);
    const [royalty, fee] = [sale.royalty ?? 0n, sale.fee ?? 0n];
    const cut = say(fee > 0n ? "story.cutWithFee" : "story.cut", { royalty: pay(royalty), brand, fee: pay(fee) });
    if (is(sale.actor, member)) return say("story.paid", { price: pay(sale.amount), seller: who(sale.counterparty), stamp, cut });
    const received = pay(sale.amount - royalty - fee);
    return say("story.sold", { stamp, buyer: who(sale.actor), price: pay(sale.amount), received, cut });
  }
  const swap = find("swap");
  if (swap) {
    const given = listText(stamps((e) => e.kind === "stamp.transferred" && is(e.counterparty, member)));
    const other = who(is(swap.actor, member) ? swap.counterparty : swap.actor);
    const values = { given, received: listText(stampsIn), other, fees: w.points(-net) };
    return say(net < 0n ? "story.swappedPaid" : "story.swapped", values);
  }
  const perk = find("perk.claimed");
  if (perk) {
    const name = w.perkName(codeText(perk.code)) ?? (codeWords(perk.code) || say("story.aPerk"));
    const points = w.points(perk.amount ?? 0n);
    if (perk.tokenId !== null) return say("story.perkUsing", { perk: name, points, stamp: stampName(perk.tokenId, w.seriesOf) });
    return say(perk.amount ? "story.perkSpent" : "story.perk", { perk: name, points });
  }
  const journey = find("journey.completed");
  if (journey) {
    if (!is(journey.actor, member))
      return net > 0n ? say("story.referral", { points: w.points(net), who: who(journey.actor) }) : undefined;
    const earned = [...(net > 0n ? [w.points(net)] : []), ...stampsIn];
    const name = codeWords(journey.code) || say("story.aJourney");
    return say(earned.length ? "story.journeyEarned" : "story.journey", { journey: name, earned: listText(earned) });
  }
  const reward = find("points.rewarded");
  if (reward?.amount) {
    const reason = codeWords(reward.code).toLocaleLowerCase();
    return say(reason ? "story.rewardWhy" : "story.reward", { brand, points: w.points(reward.amount), reason });
  }
  const credit = find("points.credited");
  if (credit?.amount) return say("story.credited", { points: w.points(credit.amount) });
  const reversed = find("points.purchase.reversed");
  if (reversed?.amount) return say("story.reversed", { points: w.points(net < 0n ? -net : reversed.amount) });
  const redeemed = find("points.redeemed");
  if (redeemed?.amount) {
    const reward = codeWords(redeemed.code).toLocaleLowerCase();
    return say(reward ? "story.redeemedOn" : "story.redeemed", { points: w.points(redeemed.amount), reward });
  }
  const expired = find("points.expired");
  if (expired?.amount) return say("story.expired", { points: w.points(expired.amount) });
  const consent = consentSentence(mine, w, who);
  if (consent) return consent;
  if (find("orders.cancelled")) return say("story.cancelledAll");
  if (find("order.cancelled")) return say("story.cancelledOne");
  const deferred = find("payment.deferred");
  if (deferred?.amount) return say("story.deferred", { amount: w.money(zeroAddress, deferred.amount) });
  const withdrawn = find("payment.withdrawn");
  if (withdrawn?.amount) return say("story.withdrawn", { amount: w.money(zeroAddress, withdrawn.amount) });
  if (stampsIn.length > 0) {
    const from = mine.find((e) => e.kind === "stamp.transferred" && is(e.actor, member))?.counterparty ?? null;
    return say("story.gaveYou", { from: from === null ? brand : who(from), stamps: listText(stampsIn) });
  }
  const gave = stamps((e) => e.kind === "stamp.transferred" && is(e.counterparty, member));
  if (gave.length > 0) {
    const to = mine.find((e) => e.kind === "stamp.transferred" && is(e.counterparty, member))!.actor;
    return say("story.youGave", { stamps: listText(gave), to: who(to) });
  }
  const transfer = find("points.transferred");
  if (transfer?.amount)
    return is(transfer.actor, member)
      ? say("story.sentYou", { from: who(transfer.counterparty), points: w.points(transfer.amount) })
      : say("story.youSent", { points: w.points(transfer.amount), to: who(transfer.actor) });
  if (net > 0n) return say("story.received", { points: w.points(net) });
  if (net < 0n) return say("story.used", { points: w.points(-net) });
  const approval = mine.find((e) => e.kind === "approval" && is(e.actor, member));
  if (approval) return say(approval.contract === "stamps" ? "story.approvedStamps" : "story.approvedPoints");
  if (find("stamp.burned")) return say("story.burned");
  return undefined;
}

function consentSentence(mine: LedgerEntry[], w: StoryWords, who: (address: Address | null) => string): string | undefined {
  const { brand } = w;
  const purposes = mine.find((e) => e.kind.startsWith("consent.") && e.amount !== null && e.kind !== "consent.guardian.withdrew");
  const now = purposes?.amount != null ? maskToPurposes(purposes.amount) : undefined;
  if (mine.some((e) => e.kind === "consent.unlinked")) return say("story.unlinked", { brand });
  if (mine.some((e) => e.kind === "consent.linked"))
    return now === undefined
      ? say("story.linked", { brand })
      : say("story.linkedAllowing", { brand, purposes: purposesText(now) });
  const withdrew = find(mine, "consent.guardian.withdrew");
  if (withdrew)
    return say("story.guardianWithdrew", {
      guardian: who(withdrew.counterparty),
      purposes: purposesText(maskToPurposes(withdrew.amount ?? 0n)),
    });
  const changed = find(mine, "consent.guardian.changed");
  if (changed) return say("story.guardianChanged", { guardian: who(changed.counterparty) });
  if (find(mine, "consent.cameOfAge")) return say("story.cameOfAge");
  if (now !== undefined) return now.length ? say("story.allowing", { purposes: purposesText(now) }) : say("story.withdrewAll");
  return undefined;
}

const find = (entries: LedgerEntry[], kind: string) => entries.find((e) => e.kind === kind);
