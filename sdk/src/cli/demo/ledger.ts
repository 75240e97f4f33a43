/**
 * Chapter `ledger`: the transparent ledger, every event of the program in order with its time and who acted, then
 * a summary of the figures it adds up to (points, stamps, journeys, trades, consent, royalties).
 */
import { hexToString, isAddressEqual, type Address, type Hex } from "viem";
import { readLedger, type LedgerEntry } from "../../index.js";
import { amountStyle, purposesText } from "../ledger.js";
import type { DemoContext } from "./context.js";

export interface LedgerChapterReturnType {
  /** Every event of the program so far, in chain order. */
  entries: LedgerEntry[];
}

const short = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

/**
 * Reads the program's ledger from the chain, prints each entry and the summary.
 *
 * @example
 * const { entries } = await ledgerChapter(context);
 */
export async function ledgerChapter(context: DemoContext): Promise<LedgerChapterReturnType> {
  const { brand, names, program, config, step, say } = context;
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
  return { entries };
}
