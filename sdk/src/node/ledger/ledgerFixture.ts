import type { Kysely } from "kysely";
import { stringToHex, type Address, type Hex } from "viem";
import type { Program } from "../../program.js";
import { limbRow } from "./amountLimbs.js";
import type { LedgerEntriesTable, LedgerTables } from "./schema.js";
import { programKey } from "./syncLedger.js";

/** One synthetic event: what a decoded log would leave in a row, before keys and limbs. */
export interface SyntheticEvent {
  kind: string;
  actor: Address | null;
  counterparty?: Address | null;
  tokenId?: bigint | null;
  seriesId?: bigint | null;
  amount?: bigint | null;
  currency?: Address | null;
  royalty?: bigint | null;
  fee?: bigint | null;
  code?: Hex | null;
  /** The event's own arguments as JSON (default "{}"), for kinds whose figures read them. */
  args?: string;
  /** Blocks after the previous event (default 1). */
  blocks?: number;
  /** Seconds after the previous event (default 12 per block). */
  seconds?: number;
}

/** A program identity for rows written without a chain (tests, benchmarks): only chain and Stamps address matter. */
export function syntheticProgram(chainId: number, stamps: Address): Program {
  return { chainId, stamps, deployBlock: 1n } as Program;
}

/** A journey or perk code as bytes32. */
export const codeOf = (text: string): Hex => stringToHex(text, { size: 32 });

/**
 * Ledger rows for a list of synthetic events, in chain order from block 1 at time `startTime`: each row as
 * syncLedger writes it (decimal text plus limbs). Used to build large or odd databases without a chain.
 *
 * @example
 * await insertRows(db, syntheticRows(program, [{ kind: "points.minted", actor: ada, amount: 2n ** 256n - 1n }]));
 */
export function syntheticRows(
  program: Program,
  events: readonly SyntheticEvent[],
  startTime = 1_700_000_000,
): LedgerEntriesTable[] {
  let block = 1;
  let time = startTime;
  let logIndex = 0;
  return events.map((event, i) => {
    const blocks = event.blocks ?? 1;
    if (i > 0 && blocks > 0) {
      block += blocks;
      logIndex = 0;
    } else if (i > 0) logIndex += 1;
    time += event.seconds ?? blocks * 12;
    const text = (value: bigint | null | undefined) => (value === null || value === undefined ? null : value.toString());
    const amount = text(event.amount);
    const royalty = text(event.royalty);
    const fee = text(event.fee);
    return {
      chain_id: program.chainId,
      tx_hash: `0x${program.stamps.slice(-24).toLowerCase()}${block.toString(16).padStart(20, "0")}${i.toString(16).padStart(20, "0")}`,
      log_index: logIndex,
      program: programKey(program),
      block_number: String(block),
      block_time: String(time),
      contract: "synthetic",
      event: "Synthetic",
      kind: event.kind,
      actor: event.actor?.toLowerCase() ?? null,
      counterparty: event.counterparty?.toLowerCase() ?? null,
      token_id: text(event.tokenId),
      series_id: text(event.seriesId),
      amount,
      currency: event.currency?.toLowerCase() ?? null,
      royalty,
      fee,
      code: event.code ?? null,
      args: event.args ?? "{}",
      ...limbRow({ amount, royalty, fee }),
    };
  });
}

/**
 * Inserts rows in batches of 500 inside one transaction.
 *
 * @example
 * await insertRows(db, rows);
 */
export async function insertRows(db: Kysely<LedgerTables>, rows: readonly LedgerEntriesTable[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto("ledger_entries")
        .values(rows.slice(i, i + 500))
        .execute();
  });
}
