import type { LedgerEntry } from "../../ledger/entries.js";
import type { Program } from "../../program.js";
import { limbRow } from "./amountLimbs.js";
import type { LedgerEntriesTable } from "./schema.js";

/**
 * The key of a program in the database: chain and Stamps address, since the same deployer key and
 * nonce give the same addresses on a testnet and on mainnet.
 *
 * @example
 * db.selectFrom("ledger_entries").selectAll().where("program", "=", programKey(program));
 */
export function programKey(program: Program): string {
  return `${program.chainId}:${program.stamps.toLowerCase()}`;
}

/**
 * A ledger entry as a database row.
 *
 * @example
 * await db.insertInto("ledger_entries").values(entries.map((e) => toRow(program, e))).execute();
 */
export function toRow(program: Program, entry: LedgerEntry): LedgerEntriesTable {
  const text = (value: bigint | null) => (value === null ? null : value.toString());
  const amount = text(entry.amount);
  const royalty = text(entry.royalty);
  const fee = text(entry.fee);
  return {
    chain_id: entry.chainId,
    tx_hash: entry.txHash.toLowerCase(),
    log_index: entry.logIndex,
    program: programKey(program),
    block_number: entry.blockNumber.toString(),
    block_time: entry.blockTime,
    contract: entry.contract,
    event: entry.event,
    kind: entry.kind,
    actor: entry.actor?.toLowerCase() ?? null,
    counterparty: entry.counterparty?.toLowerCase() ?? null,
    token_id: text(entry.tokenId),
    series_id: text(entry.seriesId),
    amount,
    currency: entry.currency?.toLowerCase() ?? null,
    royalty,
    fee,
    code: entry.code,
    args: JSON.stringify(entry.args),
    ...limbRow({ amount: entry.amount, royalty: entry.royalty, fee: entry.fee }),
  };
}
