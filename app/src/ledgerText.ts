import { formatAmount, maskToPurposes, type LedgerEntry, type LedgerKind } from "@punchcard/sdk";
import { hexToString, isAddressEqual, zeroAddress, type Address } from "viem";
import type { LoadedConfig } from "./appConfig.js";

const LABELS: Partial<Record<LedgerKind, string>> = {
  "stamp.minted": "Stamp received",
  "stamp.transferred": "Stamp moved",
  "stamp.burned": "Stamp burned",
  "stamp.locked": "Stamp locked (soulbound)",
  "points.minted": "Points issued",
  "points.transferred": "Points moved",
  "points.burned": "Points burned",
  "points.rewarded": "Points rewarded",
  "points.credited": "Points bought",
  "points.redeemed": "Points redeemed",
  "order.filled": "Stamp sold",
  "offer.accepted": "Offer accepted",
  swap: "Stamps swapped",
  "order.cancelled": "Order cancelled",
  "orders.cancelled": "All orders cancelled",
  "payment.deferred": "Payment held for withdrawal",
  "payment.withdrawn": "Payment withdrawn",
  "consent.linked": "Wallet linked",
  "consent.granted": "Consent granted",
  "consent.changed": "Consent changed",
  "consent.revoked": "Consent revoked",
  "consent.unlinked": "Wallet unlinked",
  "consent.guardian.withdrew": "Guardian withdrew consent",
  "consent.guardian.changed": "Guardian changed",
  "consent.cameOfAge": "Came of age",
  "journey.completed": "Journey completed",
  "perk.claimed": "Perk claimed",
  approval: "Approval",
};

/** What an entry is, in words ("Points rewarded"); the event's own kind where there is no label. */
export function entryLabel(entry: LedgerEntry): string {
  return LABELS[entry.kind] ?? entry.kind;
}

const codeText = (code: `0x${string}` | null) => (code ? hexToString(code, { size: 32 }).replace(/\0+$/, "") : "");

/** An entry's amount in human units ("120 BEANS", "0.1 ETH", "rewards, analytics"), or "" when it has none. */
export function entryAmount(entry: LedgerEntry, app: Pick<LoadedConfig, "program" | "units">): string {
  const { units, program } = app;
  const points = (amount: bigint) => formatAmount(amount, units.pointsDecimals, units.pointsSymbol);
  const inCurrency = (currency: Address, amount: bigint) =>
    isAddressEqual(currency, zeroAddress)
      ? formatAmount(amount, units.nativeDecimals, units.nativeSymbol)
      : isAddressEqual(currency, program.points)
        ? points(amount)
        : `${amount} (token ${currency.slice(0, 8)}…)`;
  if (entry.amount === null) return "";
  if (entry.kind.startsWith("consent.")) return maskToPurposes(entry.amount).join(", ") || "no purposes";
  if (entry.currency !== null) {
    const royalty = entry.royalty !== null ? `, royalty ${inCurrency(entry.currency, entry.royalty)}` : "";
    return `${inCurrency(entry.currency, entry.amount)}${royalty}`;
  }
  if (entry.kind === "swap") return entry.royalty !== null ? `royalty ${points(entry.royalty)}` : "";
  if (entry.kind === "journey.completed") return `${codeText(entry.code)}: ${points(entry.amount)}`;
  if (entry.kind === "perk.claimed") return `${codeText(entry.code)}: ${points(entry.amount)} spent`;
  if (entry.kind.startsWith("points.")) return points(entry.amount);
  return entry.amount.toString();
}

/** Whether an entry is about the member: they are its actor or its counterparty. */
export function isAbout(entry: LedgerEntry, member: Address): boolean {
  return [entry.actor, entry.counterparty].some((who) => who !== null && isAddressEqual(who, member));
}
