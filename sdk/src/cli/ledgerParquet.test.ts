import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { databaseEngines, freshDatabase } from "../../../test/helpers/databases.js";
import { analyticsHistory, analyticsProgram, analyticsRows, analyticsWallets } from "../node/ledger/views/analyticsFixture.js";
import { ANALYTICS_VIEWS_V1 } from "../node/ledger/views/analyticsViewsV1.js";
import { fillLedger, ledgerCli as cli, syntheticProgram, writeRecord } from "./__fixtures__/ledgerCli.js";
import type { ReadOnlyLedger, SqlResult } from "../node/ledger/sql.js";
import { writeViewsParquet } from "../node/ledger/viewsParquet.js";
import { parquetNodeProblem, runLedgerParquet } from "./ledgerParquet.js";
import { openLedgerViews } from "./ledgerSql.js";

const program = syntheticProgram(analyticsProgram);

/** A file's bytes as the ArrayBuffer hyparquet reads. */
function bufferOf(file: string): ArrayBuffer {
  const bytes = fs.readFileSync(file);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** A cell as `ledger sql --format json` prints it, from what the Parquet file holds (text for integers, UTC time). */
function asSqlText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 19).replace("T", " ");
  return String(value);
}

/** Rows as sorted lines of text, so two answers compare whatever order each engine gave. */
const lines = (rows: Array<Record<string, unknown>>) =>
  rows.map((row) => JSON.stringify(Object.entries(row).map(([k, v]) => [k, asSqlText(v)]))).sort();

for (const engine of databaseEngines()) {
  describe(`cli: punchcard ledger parquet (${engine})`, () => {
    let dir: string;
    let db: string;
    let record: string;
    const { before, after } = analyticsHistory();

    beforeEach(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-parquet-"));
      db = await freshDatabase(engine);
      await fillLedger(db, analyticsRows([...before, ...after]));
      record = writeRecord(dir, program);
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("writes every view as <view>.parquet, row for row what ledger sql answers", async () => {
      const out = path.join(dir, "parquet");
      const run = await cli(["parquet", "--program", record, "--db", db, "--out", out]);
      expect(run.code, run.stderr).to.equal(0);
      expect(fs.readdirSync(out).sort()).to.deep.equal(ANALYTICS_VIEWS_V1.map((v) => `${v}.parquet`).sort());
      for (const view of ANALYTICS_VIEWS_V1) {
        const sql = await cli(["sql", "--program", record, "--db", db, "--format", "json", `SELECT * FROM ${view}`]);
        expect(sql.code, sql.stderr).to.equal(0);
        const expected = JSON.parse(sql.stdout) as Array<Record<string, unknown>>;
        const file = bufferOf(path.join(out, `${view}.parquet`));
        const rows = (await parquetReadObjects({ file })) as Array<Record<string, unknown>>;
        expect(rows.length, view).to.equal(expected.length);
        expect(lines(rows), view).to.deep.equal(lines(expected));
        expect(run.stdout).to.contain(`${view}.parquet: ${expected.length} row`);
        // The view's columns, in its order.
        if (expected.length > 0)
          expect(
            parquetMetadata(file)
              .schema.slice(1)
              .map((c) => c.name),
            view,
          ).to.deep.equal(Object.keys(expected[0]!));
      }
      // The fixture touches the views that matter: flows, trades, tiers, consent changes all hold rows.
      expect(run.stdout).to.match(/points_flows\.parquet: 3 rows/);
      expect(run.stdout).to.match(/trades\.parquet: 2 rows/);
    });

    it("types the columns: INT64 counts and blocks, UTC timestamps, amounts as exact decimal text", async () => {
      const out = path.join(dir, "parquet");
      expect((await cli(["parquet", "--program", record, "--db", db, "--out", out])).code).to.equal(0);
      const file = bufferOf(path.join(out, "points_flows.parquet"));
      const schema = new Map(parquetMetadata(file).schema.map((c) => [c.name, c]));
      expect(schema.get("block_number")?.type).to.equal("INT64");
      expect(schema.get("block_time")?.type).to.equal("INT64");
      expect(schema.get("log_index")?.type).to.equal("INT64");
      expect(schema.get("pending_until")?.type).to.equal("INT64");
      expect(schema.get("happened_at")).to.include({ type: "INT64", converted_type: "TIMESTAMP_MILLIS" });
      expect(schema.get("points")).to.include({ type: "BYTE_ARRAY", converted_type: "UTF8" });
      const rows = (await parquetReadObjects({ file })) as Array<Record<string, unknown>>;
      const bought = rows.find((r) => r.flow === "bought")!;
      expect(bought.points).to.equal("250");
      expect(bought.points_raw).to.equal("25000");
      expect(bought.block_time).to.be.a("bigint");
      expect(bought.happened_at).to.be.instanceOf(Date);
      expect((bought.happened_at as Date).getTime()).to.equal(Number(bought.block_time) * 1000);
    });

    it("holds per-member rows only as ledger sql does: a withdrawn or never-given analytics consent is nowhere", async () => {
      const out = path.join(dir, "parquet");
      expect((await cli(["parquet", "--program", record, "--db", db, "--out", out])).code).to.equal(0);
      const read = async (view: string) =>
        (await parquetReadObjects({ file: bufferOf(path.join(out, `${view}.parquet`)) })) as Array<Record<string, unknown>>;
      const { ada, bob, cy } = analyticsWallets;
      // Ada withdrew analytics: out of members, and her redemption after it is not a row; her earlier rows stay.
      expect((await read("members")).map((m) => m.member)).to.deep.equal([cy.toLowerCase()]);
      const flows = await read("points_flows");
      expect(flows.map((f) => f.flow)).not.to.include("redeemed");
      expect(flows.filter((f) => f.member === ada.toLowerCase())).to.have.length(2);
      // Bob never gave analytics: his wallet is in no file, not even as the other side of a trade.
      for (const view of ANALYTICS_VIEWS_V1) {
        const text = JSON.stringify(await read(view), (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v));
        expect(text, view).not.to.contain(bob.toLowerCase().slice(2));
      }
    });

    it("streams each view in row groups of rowGroupRows, the file still row for row what ledger sql answers", async () => {
      const out = path.join(dir, "parquet");
      const ledger = await openLedgerViews({ program: record, db });
      try {
        const files = await writeViewsParquet(ledger, { dir: out, rowGroupRows: 2 });
        for (const { view, file, rows: count } of files) {
          const { columns, rows } = await ledger.query(`SELECT * FROM ${view}`);
          const expected = rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]])));
          const buffer = bufferOf(file);
          // One row group per batch of at most two rows: the file was written as it was read, not whole at the end.
          expect(
            parquetMetadata(buffer).row_groups.map((g) => Number(g.num_rows)),
            view,
          ).to.deep.equal(Array.from({ length: Math.ceil(rows.length / 2) }, (_, g) => Math.min(2, rows.length - 2 * g)));
          expect(count, view).to.equal(rows.length);
          const read = (await parquetReadObjects({ file: buffer })) as Array<Record<string, unknown>>;
          expect(lines(read), view).to.deep.equal(lines(expected));
        }
        expect(files.find((f) => f.view === "points_flows")?.rows).to.equal(3);
      } finally {
        await ledger.close();
      }
    });

    it("reads in batches only what ledger sql may read: a write is refused, changes nothing, and the ledger still answers", async () => {
      const ledger = await openLedgerViews({ program: record, db });
      try {
        const before = await ledger.query("SELECT count(*) AS n FROM ledger_entries");
        for (const text of [
          "DELETE FROM ledger_entries",
          "SELECT 1 AS one; DELETE FROM ledger_entries",
          "SELECT * FROM no_such_view",
        ]) {
          let refused: unknown;
          try {
            for await (const batch of ledger.batches(text, 10)) expect(batch, text).to.equal(undefined);
          } catch (error) {
            refused = error;
          }
          expect((refused as Error | undefined)?.message, text).to.match(/^The query failed/);
        }
        expect(await ledger.query("SELECT count(*) AS n FROM ledger_entries")).to.deep.equal(before);
        // A view without rows still gives its columns (one empty batch), which the file's schema needs.
        const empty = [];
        for await (const batch of ledger.batches("SELECT * FROM points_flows WHERE 1 = 0", 10)) empty.push(batch);
        expect(empty).to.have.length(1);
        expect(empty[0]!.rows).to.deep.equal([]);
        expect(empty[0]!.columns).to.include("points_raw");
      } finally {
        await ledger.close();
      }
    });

    it("asks for --out, and refuses a folder it cannot write without leaving half a file", async () => {
      const missing = await cli(["parquet", "--program", record, "--db", db]);
      expect(missing.code).to.equal(2);
      expect(missing.stderr).to.contain("parquet needs --out <dir>");
      const file = path.join(dir, "a-file");
      fs.writeFileSync(file, "not a folder");
      const refused = await cli(["parquet", "--program", record, "--db", db, "--out", file]);
      expect(refused.code).to.equal(1);
      expect(refused.stderr).to.contain(`${file} is a file, not a folder`);
      expect(fs.readFileSync(file, "utf8")).to.equal("not a folder");
    });

    it("on a Node that cannot load the Parquet writer, says which Node it needs and writes nothing", async () => {
      const out = path.join(dir, "parquet");
      let refused: unknown;
      await runLedgerParquet({ program: record, db, out }, () => {}, "20.18.1").catch((error: unknown) => (refused = error));
      expect((refused as Error).message).to.contain(
        "punchcard ledger parquet needs Node 20.19 or later on 20, 22.12 or later on 22, or 23 and later; this is Node 20.18.1.",
      );
      expect(fs.existsSync(out)).to.equal(false);
      const files = await runLedgerParquet({ program: record, db, out }, () => {}, "20.19.0");
      expect(files.map((f) => f.view)).to.deep.equal([...ANALYTICS_VIEWS_V1]);
    });
  });
}

describe("ledger parquet: a column typed from the first batch", () => {
  /** A ledger whose one view yields the batches given. */
  const ledgerOf = (batches: SqlResult[]): ReadOnlyLedger => ({
    query: () => Promise.reject(new Error("not asked")),
    async *batches() {
      yield* batches;
    },
    close: () => Promise.resolve(),
  });

  it("writes a column every first-batch cell of which is an integer as INT64", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-parquet-"));
    try {
      const ledger = ledgerOf([
        { columns: ["added_count"], rows: [[1n], [2n]] },
        { columns: ["added_count"], rows: [[3n]] },
      ]);
      const [written] = await writeViewsParquet(ledger, { dir, views: ["later_view"] });
      const file = bufferOf(written!.file);
      expect(parquetMetadata(file).schema[1]).to.include({ name: "added_count", type: "INT64" });
      expect(await parquetReadObjects({ file })).to.deep.equal([{ added_count: 1n }, { added_count: 2n }, { added_count: 3n }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fails the file, leaving none, when a later batch holds text in it (it would have been text had it been seen whole)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-parquet-"));
    try {
      const ledger = ledgerOf([
        { columns: ["added_count"], rows: [[1n]] },
        { columns: ["added_count"], rows: [["12"]] },
      ]);
      let refused: unknown;
      await writeViewsParquet(ledger, { dir, views: ["later_view"] }).catch((error: unknown) => (refused = error));
      expect((refused as Error).message).to.contain(
        'later_view.added_count holds "12", not an integer as before it; no file was written.',
      );
      expect(fs.readdirSync(dir)).to.deep.equal([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("cli: punchcard ledger parquet and the Node it runs on", () => {
  it("names the Nodes whose require(esm) loads the ES-module-only writer, and refuses the rest", () => {
    for (const ok of ["20.19.0", "20.20.2", "22.12.0", "22.20.1", "23.0.0", "24.11.1"])
      expect(parquetNodeProblem(ok), ok).to.equal(undefined);
    for (const old of ["18.20.8", "20.18.3", "21.7.3", "22.11.0"])
      expect(parquetNodeProblem(old), old).to.contain(`this is Node ${old}.`);
  });

  it("matches the engines package.json declares, for the project and the SDK", () => {
    for (const file of ["package.json", "sdk/package.json"]) {
      const { engines } = JSON.parse(fs.readFileSync(path.join(__dirname, "../../..", file), "utf8")) as {
        engines: { node: string };
      };
      expect(engines.node, file).to.equal("^20.19.0 || >=22.12.0");
    }
  });
});
