import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { sql, type Kysely } from "kysely";
import { getLogs } from "viem/actions";
import { mintStamps, programAddresses, readLedger, rewardPoints } from "../../index.js";
import { sdkProgram } from "../../../../test/helpers/sdkProgram.js";
import { databaseEngines, freshDatabase } from "../../../../test/helpers/databases.js";
import { caught } from "../../../../test/helpers/sdkErrors.js";
import {
  createLedgerSchemaBeforeMigrations,
  createLinkStoreSchemaBeforeMigrations,
} from "../__fixtures__/schemaBeforeMigrations.js";
import { openDatabase, type DatabaseEngine } from "../database.js";
import { ensureLedgerSchema, migrateLedger, type LedgerTables } from "../ledger/schema.js";
import { programKey, readCheckpoint, syncLedger, toRow } from "../ledger/syncLedger.js";
import { fromLimbSums, limbColumns, limbRow } from "../ledger/amountLimbs.js";
import { LinkStore } from "../linkStore/linkStore.js";
import { ledgerMigrations } from "../ledger/migrations.js";
import { linkStoreMigrations } from "../linkStore/migrations.js";
import { migrateLinkStore, type LinkStoreTables } from "../linkStore/schema.js";
import { migrateStore, MigrationError } from "./migrateStore.js";

type Tables = LedgerTables & LinkStoreTables;

async function history() {
  const f = await sdkProgram();
  for (let i = 0; i < 6; i++) {
    await mintStamps(f.backend, { program: f.program, seriesId: 2n, to: [f.members[i % 3]!.account.address] });
    await rewardPoints(f.backend, {
      program: f.program,
      reason: "visit",
      rewards: [{ member: f.members[i % 3]!.account.address, amount: BigInt(10 + i) }],
    });
  }
  return f;
}

/**
 * Everything the engine's catalog says about the tables, columns, types, defaults, keys and indexes, read
 * here with plain SQL (not with the code under test), in a stable order.
 */
async function schemaOf(db: Kysely<Tables>, engine: DatabaseEngine): Promise<string[]> {
  if (engine === "sqlite") {
    const { rows } = await sql<{ type: string; name: string; tbl_name: string; sql: string | null }>`
      SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name`.execute(db);
    return rows.map((r) => `${r.type} ${r.name} on ${r.tbl_name}: ${r.sql}`);
  }
  const columns = await sql<Record<string, unknown>>`
    SELECT table_name, column_name, ordinal_position, data_type, is_nullable, column_default
    FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`.execute(db);
  const indexes = await sql<Record<string, unknown>>`
    SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`.execute(db);
  // CHECK constraints are left out: Postgres names its NOT NULL checks after table oids, which differ per database.
  const constraints = await sql<Record<string, unknown>>`
    SELECT table_name, constraint_name, constraint_type FROM information_schema.table_constraints
    WHERE table_schema = current_schema() AND constraint_type <> 'CHECK' ORDER BY table_name, constraint_name`.execute(db);
  return [...columns.rows, ...indexes.rows, ...constraints.rows].map((r) => JSON.stringify(r));
}

/** The schema without kysely's bookkeeping tables (punchcard_ledger_migration, ..._lock, and the link store's). */
const withoutBookkeeping = (schema: string[]) => schema.filter((line) => !/punchcard_\w*migration/.test(line));

/** A row of another program, with the values that are easiest to lose: a uint256 beyond 2^63, nulls, JSON. */
/** A row as versions before 0002 wrote it: without the limb columns. */
function withoutLimbs<T extends object>(row: T): T {
  return Object.fromEntries(Object.entries(row).filter(([key]) => !/_l\d$/.test(key))) as T;
}

/** A row as toRow writes it now. */
function withLimbs(row: object) {
  return { ...row, ...limbRow(row as Record<"amount" | "royalty" | "fee", string | null>) };
}

/** Limbs as text: SQLite reads integers back as numbers, Postgres reads bigint as strings. */
function limbsAsText(row: object) {
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [key, /_l\d$/.test(key) && value !== null ? String(value) : value]),
  );
}

const farRow = {
  chain_id: 8453,
  tx_hash: `0x${"ab".repeat(32)}`,
  log_index: 7,
  program: `8453:0x${"12".repeat(20)}`,
  block_number: "19000000",
  block_time: "1732000000",
  contract: "market",
  event: "OrderFilled",
  kind: "market.sold",
  actor: `0x${"34".repeat(20)}`,
  counterparty: null,
  token_id: (2n ** 255n + 1n).toString(),
  series_id: "1",
  amount: (2n ** 200n).toString(),
  currency: null,
  royalty: "12345678901234567890",
  fee: "0",
  code: null,
  args: JSON.stringify({ orderHash: `0x${"cd".repeat(32)}`, price: (2n ** 200n).toString() }),
};

for (const engine of databaseEngines()) {
  describe(`sdk/node: migrations on ${engine}`, () => {
    const open: Array<{ destroy(): Promise<void> }> = [];
    async function fresh<Of = Tables>(): Promise<{ db: Kysely<Of>; location: string }> {
      // Postgres tests share one database: close what the last test opened before freshDatabase drops it.
      for (const db of open.splice(0)) await db.destroy();
      const location = await freshDatabase(engine);
      const db = openDatabase<Of>(location);
      open.push(db);
      return { db, location };
    }
    after(async () => {
      for (const db of open.splice(0)) await db.destroy();
    });

    it("migrates a fresh database once: a second run, or ensureLedgerSchema, is a no-op", async () => {
      const { db } = await fresh();
      expect(await migrateLedger(db)).to.deep.equal({
        applied: [
          "0001_ledger_initial",
          "0002_ledger_amount_limbs",
          "0003_ledger_figures",
          "0004_ledger_sync_blocks",
          "0005_ledger_analytics_views",
          "0006_ledger_kpi_rollups",
          "0007_ledger_kpi_tiers_series",
          "0008_ledger_analytics_views_v2",
          "0009_ledger_analytics_views_v3",
        ],
        adopted: false,
      });
      expect(await migrateLinkStore(db)).to.deep.equal({ applied: ["0001_link_store_initial"], adopted: false });
      const schema = await schemaOf(db, engine);
      expect(await migrateLedger(db)).to.deep.equal({ applied: [], adopted: false });
      expect(await migrateLinkStore(db)).to.deep.equal({ applied: [], adopted: false });
      await ensureLedgerSchema(db);
      expect(await schemaOf(db, engine)).to.deep.equal(schema);
    });

    it("keeps each store's bookkeeping in tables of its own, so one database holds both", async () => {
      const { db } = await fresh();
      await migrateLedger(db);
      await migrateLinkStore(db);
      const names = async (table: string) =>
        (await db.withTables<Record<string, { name: string }>>().selectFrom(table).select("name").execute()).map((r) => r.name);
      expect(await names(ledgerMigrations.migrationTableName)).to.deep.equal([
        "0001_ledger_initial",
        "0002_ledger_amount_limbs",
        "0003_ledger_figures",
        "0004_ledger_sync_blocks",
        "0005_ledger_analytics_views",
        "0006_ledger_kpi_rollups",
        "0007_ledger_kpi_tiers_series",
        "0008_ledger_analytics_views_v2",
        "0009_ledger_analytics_views_v3",
      ]);
      expect(await names(linkStoreMigrations.migrationTableName)).to.deep.equal(["0001_link_store_initial"]);
      expect((await schemaOf(db, engine)).join("\n")).not.to.include("kysely_migration");
    });

    it("gives a database made before migrations exactly the schema a fresh one gets: the old schema plus limbs and figures", async () => {
      let { db } = await fresh();
      await migrateLedger(db);
      await migrateLinkStore(db);
      const freshSchema = await schemaOf(db, engine);

      ({ db } = await fresh());
      await createLedgerSchemaBeforeMigrations(db);
      await createLinkStoreSchemaBeforeMigrations(db);
      const oldSchema = await schemaOf(db, engine);
      expect(await migrateLedger(db)).to.deep.equal({
        applied: [
          "0001_ledger_initial",
          "0002_ledger_amount_limbs",
          "0003_ledger_figures",
          "0004_ledger_sync_blocks",
          "0005_ledger_analytics_views",
          "0006_ledger_kpi_rollups",
          "0007_ledger_kpi_tiers_series",
          "0008_ledger_analytics_views_v2",
          "0009_ledger_analytics_views_v3",
        ],
        adopted: true,
      });
      expect(await migrateLinkStore(db)).to.deep.equal({ applied: ["0001_link_store_initial"], adopted: true });
      const upgradedSchema = await schemaOf(db, engine);

      expect(upgradedSchema).to.deep.equal(freshSchema);
      // Beyond the bookkeeping, 0002 adds the limb columns, 0003 the figure tables and the sales index, 0004 the
      // block hashes, 0005 the analysts' views, the units table and the purposes index, 0006 the KPI rollups and the
      // (program, kind, block_time) index, 0008 the views' version 2 and the kind index, 0009 the views'
      // version 3 and the member-kind index, which replaces the actor index.
      const limbless = withoutBookkeeping(freshSchema)
        .filter(
          (line) =>
            !/ledger_fig_|ledger_kpi_|ledger_entries_sales|ledger_entries_kind_time|ledger_entries_kind |ledger_entries_member_kind|sync_blocks|ledger_units|ledger_entries_purposes|^view /.test(
              line,
            ),
        )
        .map((line) =>
          line
            .replace(/,? ?"?(amount|royalty|fee)_l\d"? bigint/g, "")
            .replace(/\{"table_name":"ledger_entries","column_name":"\w+_l\d".*\}/, ""),
        );
      expect(withoutBookkeeping(freshSchema).join("\n")).to.include("fee_l7");
      expect(oldSchema.join("\n")).not.to.include("amount_l0");
      if (engine === "sqlite") expect(limbless).to.deep.equal(oldSchema.filter((line) => !line.includes("ledger_entries_actor")));
      expect(freshSchema.length).to.be.greaterThan(oldSchema.length);
    });

    it("keeps every row a sync wrote before migrations, and the next sync resumes from its checkpoint", async () => {
      const { program, brand } = await loadFixture(history);
      const { db } = await fresh<LedgerTables>();
      // What the previous version left: its tables, the first half of the history with its checkpoint, and
      // another program's row with values that a careless migration would round or truncate.
      await createLedgerSchemaBeforeMigrations(db);
      const head = await brand.getBlockNumber();
      const half = (program.deployBlock + head) / 2n;
      const firstHalf = await readLedger(brand, { program, toBlock: half });
      expect(firstHalf.length).to.be.greaterThan(0);
      await db
        .insertInto("ledger_entries")
        .values([...firstHalf.map((e) => withoutLimbs(toRow(program, e))), farRow] as never)
        .execute();
      await db
        .insertInto("sync_checkpoints")
        .values({ program: programKey(program), chain_id: program.chainId, last_block: half.toString() })
        .execute();
      await db
        .insertInto("sync_checkpoints")
        .values({
          program: farRow.program,
          chain_id: farRow.chain_id,
          last_block: farRow.block_number,
          updated_at: "2026-01-02 03:04:05",
        })
        .execute();
      const entriesBefore = await db
        .selectFrom("ledger_entries")
        .selectAll()
        .orderBy("chain_id")
        .orderBy("tx_hash")
        .orderBy("log_index")
        .execute();
      const checkpointsBefore = await db.selectFrom("sync_checkpoints").selectAll().orderBy("program").execute();

      const synced = await syncLedger(brand, { program, db });

      expect(synced.fromBlock).to.equal(half + 1n);
      const entriesAfter = await db
        .selectFrom("ledger_entries")
        .selectAll()
        .orderBy("chain_id")
        .orderBy("tx_hash")
        .orderBy("log_index")
        .execute();
      for (const row of entriesBefore) {
        // log_index is bigint on Postgres since 0004: read back as a string there.
        const found = entriesAfter.find((r) => r.tx_hash === row.tx_hash && Number(r.log_index) === Number(row.log_index))!;
        const after = { ...found, log_index: Number(found.log_index) };
        expect(withoutLimbs(after)).to.deep.equal(row);
        // 0002 filled the limbs in: the row reads back as toRow writes it today.
        expect(limbsAsText(after)).to.deep.equal(limbsAsText(withLimbs(row)));
      }
      expect(fromLimbSums(limbColumns("amount").map((c) => entriesAfter.find((r) => r.tx_hash === farRow.tx_hash)![c]))).to.equal(
        2n ** 200n,
      );
      expect(entriesAfter.find((r) => r.tx_hash === farRow.tx_hash)).to.deep.include({
        token_id: farRow.token_id,
        amount: farRow.amount,
        args: farRow.args,
      });
      const logs = await getLogs(brand, { address: programAddresses(program), fromBlock: program.deployBlock, toBlock: head });
      expect(entriesAfter.length).to.equal(logs.length + 1);
      expect(synced.inserted).to.equal(logs.length - firstHalf.length);
      expect(await readCheckpoint(db, program)).to.equal(head);
      const checkpointsAfter = await db.selectFrom("sync_checkpoints").selectAll().orderBy("program").execute();
      expect(checkpointsAfter.find((r) => r.program === farRow.program)).to.deep.equal(
        checkpointsBefore.find((r) => r.program === farRow.program),
      );
      expect(await migrateLedger(db)).to.deep.equal({ applied: [], adopted: false });
    });

    it("keeps every link a store held before migrations, and LinkStore still reads and guards them", async () => {
      const f = await loadFixture(sdkProgram);
      const { db, location } = await fresh();
      await createLinkStoreSchemaBeforeMigrations(db);
      const [ada, ben] = f.members;
      const rows = [
        {
          customer_id: "cust-0001",
          wallet: ada!.account.address.toLowerCase(),
          salt: `0x${"5a".repeat(32)}`,
          commitment: `0x${"c1".repeat(32)}`,
          status: "linked",
          created_at: "2026-11-01T10:00:00.000Z",
          linked_at: "2026-11-01T10:00:05.000Z",
        },
        {
          customer_id: "cust-0002",
          wallet: ben!.account.address.toLowerCase(),
          salt: `0x${"5b".repeat(32)}`,
          commitment: `0x${"c2".repeat(32)}`,
          status: "pending",
          created_at: "2026-11-02T10:00:00.000Z",
          linked_at: null,
        },
      ];
      await db.insertInto("member_links").values(rows).execute();

      const store = await LinkStore.open(location, { program: f.program, brand: f.backend });
      try {
        expect(await store.db.selectFrom("member_links").selectAll().orderBy("customer_id").execute()).to.deep.equal(rows);
        const data = await store.exportMemberData({ customerId: "cust-0001" });
        expect(data.brand).to.deep.include({
          commitment: rows[0]!.commitment,
          status: "linked",
          linkedAt: rows[0]!.linked_at,
        });
        const refused = await caught(store.prepareLink({ customerId: "cust-0001", wallet: ada!.account.address }));
        expect(String(refused)).to.match(/already linked/);
        expect(await migrateLinkStore(store.db)).to.deep.equal({ applied: [], adopted: false });
      } finally {
        await store.close();
      }
    });

    it("refuses, naming the first migration, ledger tables that are not the ones it would create", async () => {
      const { db } = await fresh();
      // The ledger of a version before the market (no royalty, no fee column) cannot be adopted as is.
      await createLedgerSchemaBeforeMigrations(db);
      await db.schema.alterTable("ledger_entries").dropColumn("royalty").execute();
      await db.schema.alterTable("ledger_entries").dropColumn("fee").execute();
      await db
        .insertInto("ledger_entries")
        .values({ ...farRow, royalty: undefined, fee: undefined })
        .execute();

      const error = await caught(migrateLedger(db));
      expect(error).to.be.instanceOf(MigrationError);
      expect(error).to.include({ store: "ledger", migrationName: "0001_ledger_initial" });
      expect((error as MigrationError).details)
        .to.include("column ledger_entries.royalty")
        .and.include("column ledger_entries.fee");
      expect((error as MigrationError).hint).to.match(/left as they were/);
      expect(
        await db
          .withTables<Record<string, { name: string }>>()
          .selectFrom(ledgerMigrations.migrationTableName)
          .select("name")
          .execute(),
      ).to.deep.equal([]);
      expect(await db.selectFrom("ledger_entries").select("tx_hash").execute()).to.deep.equal([{ tx_hash: farRow.tx_hash }]);
    });

    it("names the migration that failed, and a later run still knows what was applied", async () => {
      const { db } = await fresh();
      await migrateLedger(db);
      const broken = {
        ...ledgerMigrations,
        migrations: {
          ...ledgerMigrations.migrations,
          "0099_ledger_broken": {
            async up(trx: Kysely<unknown>) {
              await sql`SELECT no_such_column FROM ledger_entries`.execute(trx);
            },
          },
        },
      };
      const error = await caught(migrateStore(db, broken));
      expect(error).to.be.instanceOf(MigrationError);
      expect(error).to.include({ store: "ledger", migrationName: "0099_ledger_broken" });
      expect((error as MigrationError).shortMessage).to.equal("Migration 0099_ledger_broken of the ledger database failed.");
      expect((error as MigrationError).details).to.include("no_such_column");
      expect(await migrateLedger(db)).to.deep.equal({ applied: [], adopted: false });
    });

    it("refuses a database migrated by a newer Punchcard, naming the migration it does not know", async () => {
      const { db } = await fresh();
      await migrateLedger(db);
      await db
        .withTables<Record<string, { name: string; timestamp: string }>>()
        .insertInto(ledgerMigrations.migrationTableName)
        .values({ name: "0002_ledger_from_the_future", timestamp: new Date().toISOString() })
        .execute();
      const error = await caught(migrateLedger(db));
      expect(error).to.be.instanceOf(MigrationError);
      expect(error).to.include({ migrationName: "0002_ledger_from_the_future" });
      expect((error as MigrationError).hint).to.match(/Upgrade @punchcard\/sdk/);
    });

    if (engine === "postgres") {
      it("lets two processes migrate the same database at once: one runs the migration, the other finds it done", async () => {
        const { location } = await fresh();
        const [a, b] = [openDatabase<LedgerTables>(location), openDatabase<LedgerTables>(location)];
        try {
          const results = await Promise.all([migrateLedger(a), migrateLedger(b)]);
          expect(results.map((r) => r.applied).sort()).to.deep.equal([
            [],
            [
              "0001_ledger_initial",
              "0002_ledger_amount_limbs",
              "0003_ledger_figures",
              "0004_ledger_sync_blocks",
              "0005_ledger_analytics_views",
              "0006_ledger_kpi_rollups",
              "0007_ledger_kpi_tiers_series",
              "0008_ledger_analytics_views_v2",
              "0009_ledger_analytics_views_v3",
            ],
          ]);
        } finally {
          await a.destroy();
          await b.destroy();
        }
      });
    }
  });
}
