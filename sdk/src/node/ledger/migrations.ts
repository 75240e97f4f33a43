import { PostgresAdapter, sql } from "kysely";
import type { StoreMigrations } from "../migrations/migrateStore.js";
import { ANALYTICS_VIEWS_V1, analyticsViewsV1 } from "./views/analyticsViewsV1.js";
import { analyticsViewsV2 } from "./views/analyticsViewsV2.js";
import { MEMBER_KIND_INDEX, analyticsViewsV3 } from "./views/analyticsViewsV3.js";

/**
 * The ledger's schema, one migration per change, frozen once released (a change is a new migration).
 * Each writes its own statements rather than calling live code, so it creates tomorrow what it created
 * the day it shipped. Bookkeeping tables of its own: one database may also hold the link store.
 *
 * Each `up` gets kysely's untyped `Kysely<any>` (the type of {@link StoreMigrations.migrations}), not
 * `Kysely<LedgerTables>`: the store's table types follow today's schema, a migration the schema of its
 * day, so no migration imports the store (`migrateLedger` in schema.ts runs them).
 */
export const ledgerMigrations: StoreMigrations = {
  store: "ledger",
  migrationTableName: "punchcard_ledger_migration",
  migrationLockTableName: "punchcard_ledger_migration_lock",
  initialSchema: {
    tables: {
      ledger_entries: [
        "chain_id",
        "tx_hash",
        "log_index",
        "program",
        "block_number",
        "block_time",
        "contract",
        "event",
        "kind",
        "actor",
        "counterparty",
        "token_id",
        "series_id",
        "amount",
        "currency",
        "royalty",
        "fee",
        "code",
        "args",
      ],
      sync_checkpoints: ["program", "chain_id", "last_block", "updated_at"],
    },
    indexes: ["ledger_entries_program_kind", "ledger_entries_actor", "ledger_entries_block"],
  },
  migrations: {
    /** ledger_entries and sync_checkpoints exactly as `ensureLedgerSchema` created them before migrations. */
    "0001_ledger_initial": {
      async up(db) {
        await db.schema
          .createTable("ledger_entries")
          .addColumn("chain_id", "integer", (c) => c.notNull())
          .addColumn("tx_hash", "text", (c) => c.notNull())
          .addColumn("log_index", "integer", (c) => c.notNull())
          .addColumn("program", "text", (c) => c.notNull())
          .addColumn("block_number", "bigint", (c) => c.notNull())
          .addColumn("block_time", "bigint", (c) => c.notNull())
          .addColumn("contract", "text", (c) => c.notNull())
          .addColumn("event", "text", (c) => c.notNull())
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("actor", "text")
          .addColumn("counterparty", "text")
          .addColumn("token_id", "text")
          .addColumn("series_id", "text")
          .addColumn("amount", "text")
          .addColumn("currency", "text")
          .addColumn("royalty", "text")
          .addColumn("fee", "text")
          .addColumn("code", "text")
          .addColumn("args", "text", (c) => c.notNull())
          .addPrimaryKeyConstraint("ledger_entries_pk", ["chain_id", "tx_hash", "log_index"])
          .execute();
        await db.schema.createIndex("ledger_entries_program_kind").on("ledger_entries").columns(["program", "kind"]).execute();
        await db.schema.createIndex("ledger_entries_actor").on("ledger_entries").column("actor").execute();
        await db.schema.createIndex("ledger_entries_block").on("ledger_entries").columns(["program", "block_number"]).execute();
        await db.schema
          .createTable("sync_checkpoints")
          .addColumn("program", "text", (c) => c.primaryKey())
          .addColumn("chain_id", "integer", (c) => c.notNull())
          .addColumn("last_block", "bigint", (c) => c.notNull())
          .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
          .execute();
      },
    },
    /**
     * amount, royalty and fee as 8 limbs of 32 bits (amount_l0..l7, ...), so `ledgerStats` sums them in
     * SQL exactly on SQLite too (whose integers stop at 2^63) and Postgres (bigint sums are numeric).
     * Existing rows are filled in: values below 2^63 by SQL, longer ones (rare) in code.
     */
    "0002_ledger_amount_limbs": {
      async up(db) {
        const columns = ["amount", "royalty", "fee"];
        for (const column of columns) {
          for (let i = 0; i < 8; i++) {
            await db.schema.alterTable("ledger_entries").addColumn(`${column}_l${i}`, "bigint").execute();
          }
        }
        for (const column of columns) {
          const c = sql.ref(column);
          // 18 digits are below 2^63: CAST is exact on both engines.
          await sql`UPDATE ledger_entries SET
            ${sql.ref(`${column}_l0`)} = NULLIF(CAST(${c} AS BIGINT) & 4294967295, 0),
            ${sql.ref(`${column}_l1`)} = NULLIF(CAST(${c} AS BIGINT) >> 32, 0)
            WHERE ${c} IS NOT NULL AND length(${c}) <= 18`.execute(db);
          const { rows } = await sql<{ chain_id: number; tx_hash: string; log_index: number; value: string }>`
            SELECT chain_id, tx_hash, log_index, ${c} AS value FROM ledger_entries
            WHERE ${c} IS NOT NULL AND length(${c}) > 18`.execute(db);
          for (const row of rows) {
            let rest = BigInt(row.value);
            const sets = [];
            for (let i = 0; i < 8; i++) {
              const limb = rest & 0xffffffffn;
              sets.push(sql`${sql.ref(`${column}_l${i}`)} = ${limb === 0n ? null : Number(limb)}`);
              rest >>= 32n;
            }
            await sql`UPDATE ledger_entries SET ${sql.join(sets)}
              WHERE chain_id = ${row.chain_id} AND tx_hash = ${row.tx_hash} AND log_index = ${row.log_index}`.execute(db);
          }
        }
      },
    },
    /**
     * Running figures, kept by the sync in the transaction of each batch, so `ledgerStats` reads a few
     * rows per kind, wallet, stamp and code instead of every event. `ledger_fig_state` says up to which
     * block they are applied; they are filled in (from every row) on the next sync or `ledgerStats`.
     * A partial index on sale times answers the 30-day floor price without reading older sales.
     */
    "0003_ledger_figures": {
      async up(db) {
        const limbs = (prefix: string) => Array.from({ length: 8 }, (_, i) => `${prefix}${i}`);
        const withLimbs = <T extends { addColumn: (name: string, type: "bigint") => T }>(table: T, prefixes: string[]) =>
          prefixes.flatMap(limbs).reduce((t, name) => t.addColumn(name, "bigint"), table);
        await db.schema
          .createTable("ledger_fig_state")
          .addColumn("program", "text", (c) => c.primaryKey())
          .addColumn("last_block", "bigint", (c) => c.notNull())
          .execute();
        await withLimbs(
          db.schema
            .createTable("ledger_fig_totals")
            .addColumn("program", "text", (c) => c.notNull())
            .addColumn("kind", "text", (c) => c.notNull())
            .addColumn("currency", "text", (c) => c.notNull())
            .addColumn("series_id", "text", (c) => c.notNull())
            .addColumn("n", "bigint", (c) => c.notNull())
            .addColumn("max_time", "bigint", (c) => c.notNull())
            .addColumn("last_pos", "bigint", (c) => c.notNull())
            .addPrimaryKeyConstraint("ledger_fig_totals_pk", ["program", "kind", "currency", "series_id"]),
          ["amount_l", "royalty_l", "fee_l"],
        ).execute();
        await withLimbs(
          db.schema
            .createTable("ledger_fig_wallets")
            .addColumn("program", "text", (c) => c.notNull())
            .addColumn("wallet", "text", (c) => c.notNull())
            .addColumn("last_time", "bigint")
            .addColumn("last_block", "bigint")
            .addColumn("first_reward", "bigint")
            .addPrimaryKeyConstraint("ledger_fig_wallets_pk", ["program", "wallet"]),
          ["balance_l"],
        ).execute();
        await db.schema
          .createTable("ledger_fig_stamps")
          .addColumn("program", "text", (c) => c.notNull())
          .addColumn("token_id", "text", (c) => c.notNull())
          .addColumn("owner", "text")
          .addColumn("pos", "bigint", (c) => c.notNull())
          .addPrimaryKeyConstraint("ledger_fig_stamps_pk", ["program", "token_id"])
          .execute();
        await db.schema
          .createTable("ledger_fig_consent")
          .addColumn("program", "text", (c) => c.notNull())
          .addColumn("wallet", "text", (c) => c.notNull())
          .addColumn("linked_pos", "bigint")
          .addColumn("unlinked_pos", "bigint")
          .addColumn("set_pos", "bigint")
          .addColumn("purposes", "text")
          .addPrimaryKeyConstraint("ledger_fig_consent_pk", ["program", "wallet"])
          .execute();
        await withLimbs(
          db.schema
            .createTable("ledger_fig_codes")
            .addColumn("program", "text", (c) => c.notNull())
            .addColumn("kind", "text", (c) => c.notNull())
            .addColumn("code", "text", (c) => c.notNull())
            .addColumn("n", "bigint", (c) => c.notNull())
            .addColumn("first_pos", "bigint", (c) => c.notNull())
            .addPrimaryKeyConstraint("ledger_fig_codes_pk", ["program", "kind", "code"]),
          ["amount_l"],
        ).execute();
        await db.schema
          .createTable("ledger_fig_code_members")
          .addColumn("program", "text", (c) => c.notNull())
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("code", "text", (c) => c.notNull())
          .addColumn("wallet", "text", (c) => c.notNull())
          .addPrimaryKeyConstraint("ledger_fig_code_members_pk", ["program", "kind", "code", "wallet"])
          .execute();
        await db.schema
          .createIndex("ledger_entries_sales")
          .on("ledger_entries")
          .columns(["program", "block_time"])
          .where(sql.ref("kind"), "in", [sql.lit("order.filled"), sql.lit("offer.accepted"), sql.lit("orders.matched")])
          .execute();
      },
    },
    /**
     * Hashes of the blocks a sync wrote near the head (and of the last block of each step), so the next
     * sync sees a reorg by block hash and rolls the ledger back to the newest block still on the chain.
     * And log_index as bigint on Postgres: a log index is a uint32 on the wire (0xffffffe2 is legal),
     * past Postgres' 32-bit signed integer (SQLite integers are 64-bit already).
     */
    "0004_ledger_sync_blocks": {
      async up(db) {
        await db.schema
          .createTable("sync_blocks")
          .addColumn("program", "text", (c) => c.notNull())
          .addColumn("block_number", "bigint", (c) => c.notNull())
          .addColumn("hash", "text", (c) => c.notNull())
          .addPrimaryKeyConstraint("sync_blocks_pk", ["program", "block_number"])
          .execute();
        if (db.getExecutor().adapter instanceof PostgresAdapter) {
          await sql`ALTER TABLE ledger_entries ALTER COLUMN log_index TYPE bigint`.execute(db);
        }
      },
    },
    /**
     * The analysts' schema, version 1 (`views/analyticsViewsV1.ts`, docs/analytics-schema.md): views over
     * ledger_entries, one row per thing that happened, in the program's units, per member only with the analytics
     * purpose. `ledger_units` holds each program's units (the CLI writes them from the deployment record: the chain's
     * events do not carry the points' decimals). A partial index finds a wallet's purposes change at or before a row,
     * the question every per-member view asks.
     */
    "0005_ledger_analytics_views": {
      async up(db) {
        await db.schema
          .createTable("ledger_units")
          .addColumn("program", "text", (c) => c.primaryKey())
          .addColumn("points_address", "text", (c) => c.notNull())
          .addColumn("points_symbol", "text", (c) => c.notNull())
          .addColumn("points_decimals", "integer", (c) => c.notNull())
          .addColumn("native_symbol", "text", (c) => c.notNull())
          .addColumn("native_decimals", "integer", (c) => c.notNull())
          .execute();
        await sql`CREATE INDEX ledger_entries_purposes ON ledger_entries (program, actor, block_number, log_index)
          WHERE kind IN ('consent.granted', 'consent.changed', 'consent.revoked')`.execute(db);
        const engine = db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
        for (const view of analyticsViewsV1(engine)) await sql.raw(view.sql).execute(db);
      },
    },
    /**
     * The KPI rollups (kpisRollup.ts), kept by the sync with the running figures: per member the days of their join,
     * first point, last act and last row of each points flow; per day, week and month the points flows and the members
     * behind them; the active-member counts as a difference array per window; the join-week cohorts' active members.
     * The running figures are emptied so the next refresh rebuilds them with the rollups from every row (a rollup
     * cannot be filled from figures already applied). An index on (program, kind, block_time) finds a period's rows
     * of a kind (sales, claims, completions) without reading the kind's whole history.
     */
    "0006_ledger_kpi_rollups": {
      async up(db) {
        await db.schema
          .createTable("ledger_kpi_members")
          .addColumn("program", "text", (c) => c.notNull())
          .addColumn("member", "text", (c) => c.notNull())
          .addColumn("joined_day", "bigint")
          .addColumn("holder_day", "bigint")
          .addColumn("active_day", "bigint")
          .addColumn("active_days", "bigint", (c) => c.notNull())
          .addColumn("points_earned", "text", (c) => c.notNull())
          .addColumn("minted_day", "bigint")
          .addColumn("burned_day", "bigint")
          .addColumn("redeemed_day", "bigint")
          .addColumn("expired_day", "bigint")
          .addColumn("reversed_day", "bigint")
          .addPrimaryKeyConstraint("ledger_kpi_members_pk", ["program", "member"])
          .execute();
        await db.schema
          .createTable("ledger_kpi_periods")
          .addColumn("program", "text", (c) => c.notNull())
          .addColumn("period", "text", (c) => c.notNull())
          .addColumn("period_start", "bigint", (c) => c.notNull())
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("members", "bigint", (c) => c.notNull())
          .addColumn("total", "text", (c) => c.notNull())
          .addPrimaryKeyConstraint("ledger_kpi_periods_pk", ["program", "period", "period_start", "kind"])
          .execute();
        await db.schema
          .createTable("ledger_kpi_active")
          .addColumn("program", "text", (c) => c.notNull())
          .addColumn("days", "integer", (c) => c.notNull())
          .addColumn("day", "bigint", (c) => c.notNull())
          .addColumn("delta", "bigint", (c) => c.notNull())
          .addPrimaryKeyConstraint("ledger_kpi_active_pk", ["program", "days", "day"])
          .execute();
        await db.schema
          .createTable("ledger_kpi_cohorts")
          .addColumn("program", "text", (c) => c.notNull())
          .addColumn("cohort", "bigint", (c) => c.notNull())
          .addColumn("week", "bigint", (c) => c.notNull())
          .addColumn("members", "bigint", (c) => c.notNull())
          .addPrimaryKeyConstraint("ledger_kpi_cohorts_pk", ["program", "cohort", "week"])
          .execute();
        await db.schema
          .createIndex("ledger_entries_kind_time")
          .on("ledger_entries")
          .columns(["program", "kind", "block_time"])
          .execute();
        for (const table of [
          "ledger_fig_totals",
          "ledger_fig_wallets",
          "ledger_fig_stamps",
          "ledger_fig_consent",
          "ledger_fig_codes",
          "ledger_fig_code_members",
          "ledger_fig_state",
        ])
          await sql`DELETE FROM ${sql.table(table)}`.execute(db);
      },
    },
    /**
     * More KPI rollups (kpisRollupTiersSeries.ts): per member their status points and tier, and each day their tier
     * changed; per member and kind (journey completions, referrals, perk claims) the day of their last such row, so a
     * period counts each member once; per series and wallet the stamps held, and the holders per series as a
     * difference array by day. The running figures and rollups are emptied so the next refresh rebuilds them all
     * from every row, these with them.
     */
    "0007_ledger_kpi_tiers_series": {
      async up(db) {
        await db.schema
          .createTable("ledger_kpi_status")
          .addColumn("program", "text", (c) => c.notNull())
          .addColumn("member", "text", (c) => c.notNull())
          .addColumn("status", "text", (c) => c.notNull())
          .addColumn("tier", "integer", (c) => c.notNull())
          .addPrimaryKeyConstraint("ledger_kpi_status_pk", ["program", "member"])
          .execute();
        await db.schema
          .createTable("ledger_kpi_tiers")
          .addColumn("program", "text", (c) => c.notNull())
          .addColumn("member", "text", (c) => c.notNull())
          .addColumn("day", "bigint", (c) => c.notNull())
          .addColumn("tier", "integer", (c) => c.notNull())
          .addPrimaryKeyConstraint("ledger_kpi_tiers_pk", ["program", "member", "day"])
          .execute();
        await db.schema
          .createTable("ledger_kpi_codes")
          .addColumn("program", "text", (c) => c.notNull())
          .addColumn("member", "text", (c) => c.notNull())
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("day", "bigint", (c) => c.notNull())
          .addPrimaryKeyConstraint("ledger_kpi_codes_pk", ["program", "member", "kind"])
          .execute();
        await db.schema
          .createTable("ledger_kpi_series_wallets")
          .addColumn("program", "text", (c) => c.notNull())
          .addColumn("series_id", "text", (c) => c.notNull())
          .addColumn("wallet", "text", (c) => c.notNull())
          .addColumn("stamps", "bigint", (c) => c.notNull())
          .addPrimaryKeyConstraint("ledger_kpi_series_wallets_pk", ["program", "series_id", "wallet"])
          .execute();
        await db.schema
          .createTable("ledger_kpi_holders")
          .addColumn("program", "text", (c) => c.notNull())
          .addColumn("series_id", "text", (c) => c.notNull())
          .addColumn("day", "bigint", (c) => c.notNull())
          .addColumn("delta", "bigint", (c) => c.notNull())
          .addPrimaryKeyConstraint("ledger_kpi_holders_pk", ["program", "series_id", "day"])
          .execute();
        for (const table of [
          "ledger_fig_totals",
          "ledger_fig_wallets",
          "ledger_fig_stamps",
          "ledger_fig_consent",
          "ledger_fig_codes",
          "ledger_fig_code_members",
          "ledger_kpi_members",
          "ledger_kpi_periods",
          "ledger_kpi_active",
          "ledger_kpi_cohorts",
          "ledger_fig_state",
        ])
          await sql`DELETE FROM ${sql.table(table)}`.execute(db);
      },
    },
    /**
     * The analysts' schema, version 2 (`views/analyticsViewsV2.ts`): the same views, columns and rows, but a row learns
     * its wallets' consent by a join on analytics periods (one window over the purposes changes) instead of a subquery
     * per row and wallet, which made the Parquet export of every view take minutes at 1,000,000 entries. An index on
     * `kind` lets each view read its own kinds' rows rather than every row of the ledger (the views span programs, so
     * the (program, kind) index cannot serve them).
     */
    "0008_ledger_analytics_views_v2": {
      async up(db) {
        const engine = db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
        await db.schema.createIndex("ledger_entries_kind").on("ledger_entries").column("kind").execute();
        for (const name of [...ANALYTICS_VIEWS_V1].reverse()) await sql`DROP VIEW IF EXISTS ${sql.table(name)}`.execute(db);
        for (const view of analyticsViewsV2(engine)) await sql.raw(view.sql).execute(db);
      },
    },
    /**
     * The analysts' schema, version 3 (`views/analyticsViewsV3.ts`): the same views, columns and rows, read through an
     * index on (actor, program, kind, block_number, log_index, block_time), which replaces the index on the actor alone. A member's views go from the wallets'
     * analytics periods to the rows each period holds, instead of from every row of their kinds to the period that
     * holds it; on SQLite `members` reads each consented wallet's first joining row from the index instead of grouping
     * every joining row of the ledger; consent_changes finds its sibling rows by the primary key.
     */
    "0009_ledger_analytics_views_v3": {
      async up(db) {
        const engine = db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
        await sql.raw(MEMBER_KIND_INDEX).execute(db);
        // The new index leads with the actor, so it serves every query the actor index served: that one goes, and a
        // sync keeps writing as many B-trees per row as before (the ledger's backfill rate is a benchmark target).
        await sql`DROP INDEX IF EXISTS ledger_entries_actor`.execute(db);
        for (const name of [...ANALYTICS_VIEWS_V1].reverse()) await sql`DROP VIEW IF EXISTS ${sql.table(name)}`.execute(db);
        for (const view of analyticsViewsV3(engine)) await sql.raw(view.sql).execute(db);
      },
    },
  },
};
