import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { expect } from "chai";
import { sql } from "kysely";
import { databaseEngines, freshDatabase } from "../../../test/helpers/databases.js";
import { openDatabase } from "../node/database.js";
import type { LedgerTables } from "../node/ledger/schema.js";
import { analyticsHistory, analyticsProgram, analyticsRows } from "../node/ledger/views/analyticsFixture.js";
import { ANALYTICS_VIEWS_V1 } from "../node/ledger/views/analyticsViewsV1.js";
import { fillLedger, ledgerCli as cli, syntheticProgram, writeRecord } from "./__fixtures__/ledgerCli.js";
import { runLedgerSql } from "./ledgerSql.js";

const program = syntheticProgram(analyticsProgram);

for (const engine of databaseEngines()) {
  describe(`cli: punchcard ledger sql (${engine})`, () => {
    let dir: string;
    let db: string;
    let base: string[];
    const { before, after } = analyticsHistory();

    /** Everything a write could touch: every row of the ledger and every view's definition. */
    async function state(): Promise<string> {
      const database = openDatabase<LedgerTables>(db);
      try {
        const entries = await sql<Record<string, unknown>>`SELECT * FROM ledger_entries ORDER BY block_number, log_index`.execute(
          database,
        );
        const tables = (await database.introspection.getTables()).map((t) => `${t.name}:${t.columns.map((c) => c.name)}`);
        return JSON.stringify([entries.rows, tables.sort()]);
      } finally {
        await database.destroy();
      }
    }

    beforeEach(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-sql-"));
      db = await freshDatabase(engine);
      await fillLedger(db, analyticsRows([...before, ...after]));
      base = ["sql", "--program", writeRecord(dir, program), "--db", db];
    });

    it("answers a query over the views in the record's units, as a table, CSV or JSON", async () => {
      const query = "SELECT flow, points, reason FROM points_flows ORDER BY block_number";
      const table = await cli([...base, query]);
      expect(table.code, table.stderr).to.equal(0);
      expect(table.stdout.split("\n")).to.deep.equal([
        "flow   | points | reason",
        "-------+--------+-------------------------------------------------------------------",
        "earned | 150    | welcome",
        `bought | 250    | 0x${"ac".repeat(32)}`,
        `earned | 5      | 0x${"ff".repeat(32)}`,
        "(3 rows)",
        "",
      ]);
      const csv = await cli([
        ...base,
        "--format",
        "csv",
        "SELECT series_name, price, currency_symbol FROM trades ORDER BY block_number",
      ]);
      expect(csv.stdout).to.equal("series_name,price,currency_symbol\nCoffee Cup,0.1,ETH\nCoffee Cup,,BEANS\n");
      const json = await cli([...base, "--format", "json", "SELECT count(*) AS n, max(points) AS most FROM points_flows"]);
      expect(JSON.parse(json.stdout)).to.deep.equal([{ n: engine === "postgres" ? "3" : 3, most: "5" }]);
    });

    const writes = [
      "INSERT INTO ledger_entries (chain_id, tx_hash, log_index, program, block_number, block_time, contract, event, kind, args) VALUES (1, '0x', 0, 'p', 1, 1, 'c', 'e', 'points.rewarded', '{}')",
      "UPDATE ledger_entries SET amount = '999999'",
      "DELETE FROM ledger_entries",
      "DROP VIEW trades",
      "DROP TABLE ledger_entries",
      "CREATE TABLE stolen (a text)",
      "ALTER TABLE ledger_entries ADD COLUMN x text",
      ...(engine === "sqlite"
        ? ["PRAGMA user_version = 9", "VACUUM", "REINDEX"]
        : [
            "WITH gone AS (DELETE FROM ledger_entries RETURNING 1) SELECT count(*) FROM gone",
            "SELECT 1; COMMIT; DELETE FROM ledger_entries",
            "COMMIT; DELETE FROM ledger_entries",
            "TRUNCATE ledger_entries",
          ]),
    ];
    for (const write of writes) {
      it(`refuses ${write.split(" ").slice(0, 3).join(" ")}..., naming the query, and changes nothing`, async () => {
        const was = await state();
        const run = await cli([...base, write]);
        expect(run.code).to.equal(1);
        expect(run.stderr).to.contain("The query failed").and.to.contain(write);
        expect(await state()).to.equal(was);
      });
    }

    if (engine === "sqlite") {
      it("refuses to ATTACH a new database file (the connection cannot create one), and creates no file", async () => {
        const other = path.join(dir, "other.sqlite");
        const run = await cli([...base, `ATTACH '${other}' AS other`]);
        expect(run.code).to.equal(1);
        expect(run.stderr).to.contain("The query failed");
        expect(fs.existsSync(other)).to.equal(false);
      });
    }

    it("names a query that is not SQL, and says nothing was changed", async () => {
      const run = await cli([...base, "SELEKT * FROM trades"]);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain("SELEKT * FROM trades").and.to.contain("Nothing was changed");
    });

    it("asks for one query in quotes, or --shell", async () => {
      expect((await cli(base)).code).to.equal(2);
      expect((await cli([...base, "SELECT 1", "SELECT 2"])).code).to.equal(2);
    });

    it("runs a shell: queries over several lines, errors that do not end it, .tables, .quit", async () => {
      const was = await state();
      const input = new PassThrough();
      const output = new PassThrough();
      let printed = "";
      output.on("data", (chunk: Buffer) => (printed += chunk.toString()));
      input.end(
        [
          "SELECT count(*) AS members",
          "FROM members;",
          "DELETE FROM ledger_entries;",
          // On Postgres: lifting the session's read-only default does not lift the next query's transaction.
          ...(engine === "postgres" ? ["SELECT set_config('default_transaction_read_only', 'off', false);"] : []),
          "DELETE FROM ledger_entries;",
          ".tables",
          ".quit",
          "SELECT 'after quit' AS never;",
        ].join("\n"),
      );
      await runLedgerSql({ program: path.join(dir, "program.json"), db, format: "csv", shell: true }, () => {}, {
        input,
        output,
      });
      expect(printed).to.contain("members\n1\n");
      expect(printed.match(/The query failed/g)).to.have.length(2);
      for (const view of ANALYTICS_VIEWS_V1) expect(printed).to.contain(`${view}\n`);
      expect(printed).not.to.contain("after quit");
      expect(await state()).to.equal(was);
    });
  });
}
