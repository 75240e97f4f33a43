// The same table as our ledger's (sdk/src/node/ledger/migrations.ts): one row per event, the same
// columns and types, the same primary key and indexes, so both indexers write the same bytes.
import { index, onchainTable, primaryKey } from "ponder";

export const ledgerEntries = onchainTable(
  "ledger_entries",
  (t) => ({
    chain_id: t.integer().notNull(),
    tx_hash: t.text().notNull(),
    log_index: t.integer().notNull(),
    program: t.text().notNull(),
    block_number: t.int8({ mode: "bigint" }).notNull(),
    block_time: t.int8({ mode: "bigint" }).notNull(),
    contract: t.text().notNull(),
    event: t.text().notNull(),
    kind: t.text().notNull(),
    actor: t.text(),
    counterparty: t.text(),
    token_id: t.text(),
    series_id: t.text(),
    amount: t.text(),
    currency: t.text(),
    royalty: t.text(),
    fee: t.text(),
    code: t.text(),
    args: t.text().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.chain_id, table.tx_hash, table.log_index] }),
    programKind: index().on(table.program, table.kind),
    actor: index().on(table.actor),
    block: index().on(table.program, table.block_number),
  }),
);
