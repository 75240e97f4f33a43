import {
  formatAmount,
  getBalances,
  getConsentLink,
  getMemberStamps,
  getProgramInfo,
  readLedger,
  type ReadClient,
} from "@punchcard/sdk";
import { zeroAddress, type Address } from "viem";
import type { LoadedConfig } from "./appConfig.js";
import { localTime } from "./components/LocalTime.js";
import { historyOf, stampName, storyWordsOf } from "./features/history/story.js";
import { personName, purposesText } from "./words.js";

/**
 * What the chain holds about a wallet as a person reads it: the brand's name, amounts with their units, stamps and
 * people by name, every event in one sentence with its time and time zone. The JSON export beside it is the same
 * data for machines.
 */
export async function readableWalletData(client: ReadClient, app: LoadedConfig, wallet: Address): Promise<string> {
  const { program, units } = app;
  const [link, balances, stamps, ledger, info] = await Promise.all([
    getConsentLink(client, { program, wallet }),
    getBalances(client, { program, member: wallet }),
    getMemberStamps(client, { program, member: wallet }),
    readLedger(client, { program, member: wallet }),
    getProgramInfo(client, { program }),
  ]);
  const words = storyWordsOf(app, wallet, info.series);
  const when = (seconds: bigint | number) => localTime(new Date(Number(seconds) * 1000));
  const lines = [
    `Your data in the ${app.brand} loyalty program`,
    `Exported ${when(Math.floor(Date.now() / 1000))}, from what the chain holds about your wallet ${wallet}.`,
    "",
    `Points: ${formatAmount(balances.points, units.pointsDecimals, units.pointsSymbol)}`,
    `Coin for fees: ${formatAmount(balances.native, units.nativeDecimals, units.nativeSymbol)}`,
    `Stamps (${stamps.length}): ${stamps.map((s) => stampName(s.tokenId, words.seriesOf)).join(", ") || "none"}`,
    "",
    link
      ? [
          `Linked to your ${app.brand} customer account since ${when(link.linkedAt)}.`,
          `You allow: ${purposesText(link.purposes)}.`,
          link.minor
            ? `You are linked as a minor; your guardian is ${personName(app.testAccounts, link.guardian)}.`
            : link.guardian !== zeroAddress
              ? `Your guardian: ${personName(app.testAccounts, link.guardian)}.`
              : "No guardian: you decide alone.",
          `${app.brand} keeps your name and customer number off the chain; only ${app.brand} can tell who the link is.`,
        ].join("\n")
      : `Not linked to a ${app.brand} customer account: ${app.brand} holds no consent from this wallet.`,
    "",
    "What happened, newest first:",
    ...historyOf(ledger, words).map((item) => `- ${when(item.blockTime)}: ${item.sentence}`),
    "",
  ];
  return lines.join("\n");
}

/** Hands a text to the browser as a file download. */
export function downloadText(text: string, fileName: string, type = "text/plain;charset=utf-8"): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
