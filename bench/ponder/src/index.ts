// Ponder's handlers: one for every event of the five contracts, each writing the row our syncLedger writes for
// that event (the same normalisation, ledgerEntryFromEvent, and the same row mapping, toRow), from the arguments
// Ponder has decoded.
import { ponder } from "ponder:registry";
import { ledgerEntries } from "ponder:schema";
import type { Abi } from "viem";
import { consentRegistryAbi, marketAbi, pointsAbi, rewardsAbi, stampsAbi } from "../../../sdk/src/generated/abis.js";
import { ledgerEntryFromEvent, type LedgerContract } from "../../../sdk/src/ledger/entries.js";
import { toRow } from "../../../sdk/src/node/ledger/syncLedger.js";
import type { Program } from "../../../sdk/src/program.js";
import { benchProgram } from "../program.js";

const program = benchProgram();
const sources: Array<[name: string, contract: LedgerContract, abi: Abi]> = [
  ["Stamps", "stamps", stampsAbi],
  ["Points", "points", pointsAbi],
  ["Market", "market", marketAbi],
  ["Consent", "consent", consentRegistryAbi],
  ["Rewards", "rewards", rewardsAbi],
];

interface EventArgs {
  event: {
    args: Record<string, unknown>;
    block: { number: bigint; timestamp: bigint };
    transaction: { hash: `0x${string}` };
    log: { logIndex: number };
  };
  context: { network: { chainId: number }; db: { insert: (table: typeof ledgerEntries) => InsertBuilder } };
}
interface InsertBuilder {
  values: (row: typeof ledgerEntries.$inferInsert) => { onConflictDoNothing: () => Promise<unknown> };
}
// Event names are registered in a loop over the ABIs, so the registry's per-name types are not available here.
const on = ponder.on.bind(ponder) as unknown as (name: string, handler: (args: EventArgs) => Promise<void>) => void;

for (const [name, contract, abi] of sources) {
  for (const item of abi) {
    if (item.type !== "event") continue;
    const eventName = item.name;
    on(`${name}:${eventName}`, async ({ event, context }) => {
      const entry = ledgerEntryFromEvent(contract, eventName, event.args, {
        chainId: context.network.chainId,
        blockNumber: event.block.number,
        blockTime: Number(event.block.timestamp),
        txHash: event.transaction.hash,
        logIndex: event.log.logIndex,
      });
      const row = toRow(program as unknown as Program, entry);
      await context.db
        .insert(ledgerEntries)
        .values({ ...row, log_index: entry.logIndex, block_number: entry.blockNumber, block_time: BigInt(entry.blockTime) })
        .onConflictDoNothing();
    });
  }
}
