import {
  getBalances,
  getConsentLink,
  getMemberStamps,
  maskToPurposes,
  readLedger,
  type Program,
  type ReadClient,
} from "@punchcard/sdk";
import type { Address } from "viem";
import { isAbout } from "./features/history/story.js";
import { downloadText } from "./readableExport.js";

/**
 * What the chain holds about a wallet, as one JSON document the member downloads. The brand's own records
 * (customer id, salt) are not on the chain and not in this browser: the brand exports those (LinkStore).
 * Amounts and ids are decimal strings, times ISO 8601.
 */
export interface WalletData {
  format: "punchcard/wallet-data@1";
  exportedAt: string;
  program: { chainId: number; stamps: Address; points: Address; consentRegistry: Address };
  wallet: Address;
  link: { commitment: string; purposes: string[]; minor: boolean; guardian: Address | null; linkedAt: string } | null;
  balances: { points: string; stamps: string; native: string };
  stamps: Array<{ tokenId: string; seriesId: string; edition: string; name: string | null }>;
  ledger: Array<{
    blockTime: string;
    txHash: string;
    kind: string;
    role: "actor" | "counterparty";
    tokenId: string | null;
    amount: string | null;
    purposes: string[] | null;
  }>;
}

const iso = (seconds: bigint | number) => new Date(Number(seconds) * 1000).toISOString();

export async function exportWalletData(client: ReadClient, program: Program, wallet: Address): Promise<WalletData> {
  const [link, balances, stamps, ledger] = await Promise.all([
    getConsentLink(client, { program, wallet }),
    getBalances(client, { program, member: wallet }),
    getMemberStamps(client, { program, member: wallet }),
    readLedger(client, { program, member: wallet }),
  ]);
  const zero = "0x0000000000000000000000000000000000000000";
  return {
    format: "punchcard/wallet-data@1",
    exportedAt: new Date().toISOString(),
    program: { chainId: program.chainId, stamps: program.stamps, points: program.points, consentRegistry: program.consent },
    wallet,
    link: link && {
      commitment: link.commitment,
      purposes: link.purposes,
      minor: link.minor,
      guardian: link.guardian === zero ? null : link.guardian,
      linkedAt: iso(link.linkedAt),
    },
    balances: { points: balances.points.toString(), stamps: balances.stamps.toString(), native: balances.native.toString() },
    stamps: stamps.map((s) => ({
      tokenId: s.tokenId.toString(),
      seriesId: s.seriesId.toString(),
      edition: s.edition.toString(),
      name: s.metadata?.name ?? null,
    })),
    ledger: ledger
      .filter((e) => isAbout(e, wallet))
      .map((e) => ({
        blockTime: iso(e.blockTime),
        txHash: e.txHash,
        kind: e.kind,
        role: e.actor !== null && e.actor.toLowerCase() === wallet.toLowerCase() ? "actor" : "counterparty",
        tokenId: e.tokenId?.toString() ?? null,
        amount: e.kind.startsWith("consent.") ? null : (e.amount?.toString() ?? null),
        purposes: e.kind.startsWith("consent.") && e.amount !== null ? maskToPurposes(e.amount) : null,
      })),
  };
}

/** Hands the document to the browser as a file download. */
export function downloadJson(data: unknown, fileName: string): void {
  downloadText(JSON.stringify(data, null, 2), fileName, "application/json");
}
