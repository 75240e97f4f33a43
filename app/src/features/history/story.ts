import { decodeStampId, formatAmount, maskToPurposes, type LedgerEntry, type SeriesInfo } from "@punchcard/sdk";
import { isAddressEqual, zeroAddress, type Address, type Hash } from "viem";
import type { LoadedConfig, TestAccount } from "../../appConfig.js";
import { codeText, codeWords, personName, purposesText } from "../../words.js";

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
  const points = (n: bigint) => formatAmount(n, units.pointsDecimals, units.pointsSymbol);
  return {
    member,
    brand: app.brand,
    accounts: app.testAccounts,
    seriesOf: new Map(series.map((s) => [s.seriesId, s])),
    points,
    money: (currency, n) =>
      isAddressEqual(currency, program.points) ? points(n) : formatAmount(n, units.nativeDecimals, units.nativeSymbol),
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
  return `${seriesOf.get(seriesId)?.name ?? "a stamp"} #${edition.toLocaleString("en-US")}`;
}

function list(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]!}`;
}

function tell(all: LedgerEntry[], mine: LedgerEntry[], net: bigint, w: StoryWords): string | undefined {
  const { member } = w;
  const who = (address: Address | null) => (address === null ? "someone" : personName(w.accounts, address));
  const find = (kind: string) => mine.find((e) => e.kind === kind);
  const stamps = (filter: (e: LedgerEntry) => boolean) =>
    all.filter((e) => e.tokenId !== null && e.contract === "stamps" && filter(e)).map((e) => stampName(e.tokenId!, w.seriesOf));
  const stampsIn = stamps((e) => (e.kind === "stamp.minted" || e.kind === "stamp.transferred") && is(e.actor, member));

  const sale = mine.find((e) => SALES.has(e.kind));
  if (sale && sale.amount !== null && sale.currency !== null && sale.tokenId !== null) {
    const pay = (n: bigint) => w.money(sale.currency!, n);
    const stamp = stampName(sale.tokenId, w.seriesOf);
    const royalty = sale.royalty ?? 0n;
    const fee = sale.fee ?? 0n;
    const cut = `${pay(royalty)} went to ${w.brand}${fee > 0n ? ` and ${pay(fee)} to the market` : ""}`;
    if (is(sale.actor, member)) return `You paid ${pay(sale.amount)} to ${who(sale.counterparty)} for ${stamp}; ${cut}.`;
    return `You sold ${stamp} to ${who(sale.actor)} for ${pay(sale.amount)}: you received ${pay(sale.amount - royalty - fee)}; ${cut}.`;
  }
  const swap = find("swap");
  if (swap) {
    const given = stamps((e) => e.kind === "stamp.transferred" && is(e.counterparty, member));
    const other = is(swap.actor, member) ? swap.counterparty : swap.actor;
    const paid = net < 0n ? `; you paid ${w.points(-net)} in fees` : "";
    return `You swapped your ${list(given)} for ${list(stampsIn)} with ${who(other)}${paid}.`;
  }
  const perk = find("perk.claimed");
  if (perk) {
    const name = w.perkName(codeText(perk.code)) ?? (codeWords(perk.code) || "a perk");
    const spent = perk.amount ? ` for ${w.points(perk.amount)}` : "";
    const used = perk.tokenId !== null ? ` (using your ${stampName(perk.tokenId, w.seriesOf)})` : "";
    return `You claimed the perk ${name}${spent}${used}.`;
  }
  const journey = mine.find((e) => e.kind === "journey.completed");
  if (journey) {
    if (!is(journey.actor, member))
      return net > 0n
        ? `You received ${w.points(net)} because ${who(journey.actor)} completed a journey you referred.`
        : undefined;
    const earned = [...(net > 0n ? [w.points(net)] : []), ...stampsIn];
    return `You completed ${codeWords(journey.code) || "a journey"}${earned.length ? `: you received ${list(earned)}` : ""}.`;
  }
  const reward = find("points.rewarded");
  if (reward?.amount) {
    const reason = codeWords(reward.code);
    return `${w.brand} gave you ${w.points(reward.amount)}${reason ? ` (${reason.toLowerCase()})` : ""}.`;
  }
  const credit = find("points.credited");
  if (credit?.amount) return `You earned ${w.points(credit.amount)} with a purchase.`;
  const reversed = find("points.purchase.reversed");
  if (reversed?.amount) return `A purchase was reversed: ${w.points(-net > 0n ? -net : reversed.amount)} taken back.`;
  const redeemed = find("points.redeemed");
  if (redeemed?.amount) {
    const reward = codeWords(redeemed.code);
    return `You spent ${w.points(redeemed.amount)}${reward ? ` on ${reward.toLowerCase()}` : ""}.`;
  }
  const expired = find("points.expired");
  if (expired?.amount) return `${w.points(expired.amount)} of yours expired.`;
  const consent = consentSentence(mine, w, who);
  if (consent) return consent;
  if (find("orders.cancelled")) return "You cancelled all your open orders.";
  if (find("order.cancelled")) return "You cancelled one of your orders.";
  const deferred = find("payment.deferred");
  if (deferred?.amount)
    return `${w.money(zeroAddress, deferred.amount)} is held for you at the market: withdraw it when you like.`;
  const withdrawn = find("payment.withdrawn");
  if (withdrawn?.amount) return `You withdrew ${w.money(zeroAddress, withdrawn.amount)} from the market.`;
  if (stampsIn.length > 0) {
    const from = mine.find((e) => e.kind === "stamp.transferred" && is(e.actor, member))?.counterparty ?? null;
    return `${from === null ? w.brand : who(from)} gave you ${list(stampsIn)}.`;
  }
  const gave = stamps((e) => e.kind === "stamp.transferred" && is(e.counterparty, member));
  if (gave.length > 0) {
    const to = mine.find((e) => e.kind === "stamp.transferred" && is(e.counterparty, member))!.actor;
    return `You gave ${list(gave)} to ${who(to)}.`;
  }
  const transfer = find("points.transferred");
  if (transfer?.amount)
    return is(transfer.actor, member)
      ? `${who(transfer.counterparty)} sent you ${w.points(transfer.amount)}.`
      : `You sent ${w.points(transfer.amount)} to ${who(transfer.actor)}.`;
  if (net > 0n) return `You received ${w.points(net)}.`;
  if (net < 0n) return `${w.points(-net)} of yours were used.`;
  const approval = mine.find((e) => e.kind === "approval" && is(e.actor, member));
  if (approval)
    return approval.contract === "stamps"
      ? "You let the market move your stamps when you sell or swap them."
      : "You let the market take points from your wallet for your offers.";
  if (find("stamp.burned")) return "One of your stamps was used up.";
  return undefined;
}

function consentSentence(mine: LedgerEntry[], w: StoryWords, who: (address: Address | null) => string): string | undefined {
  const purposes = mine.find((e) => e.kind.startsWith("consent.") && e.amount !== null && e.kind !== "consent.guardian.withdrew");
  const now = purposes?.amount != null ? maskToPurposes(purposes.amount) : undefined;
  const allowing = now === undefined ? "" : now.length ? `; you allow ${purposesText(now)}` : "; you allow nothing";
  if (mine.some((e) => e.kind === "consent.unlinked"))
    return `Your wallet was unlinked from your ${w.brand} account and every consent withdrawn.`;
  if (mine.some((e) => e.kind === "consent.linked")) return `Your wallet was linked to your ${w.brand} account${allowing}.`;
  const withdrew = mine.find((e) => e.kind === "consent.guardian.withdrew");
  if (withdrew)
    return `Your guardian ${who(withdrew.counterparty)} withdrew ${purposesText(maskToPurposes(withdrew.amount ?? 0n))}.`;
  const changed = mine.find((e) => e.kind === "consent.guardian.changed");
  if (changed) return `${who(changed.counterparty)} is now your guardian.`;
  if (mine.some((e) => e.kind === "consent.cameOfAge")) return "You came of age: you now decide your consent alone.";
  if (now !== undefined) return now.length ? `You now allow ${purposesText(now)}.` : "You withdrew every consent.";
  return undefined;
}
