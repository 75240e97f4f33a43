import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { Address } from "viem";
import { openDatabase } from "../node/database.js";
import { KPIS_YEAR_START, kpisProgram, kpisYear } from "../node/ledger/kpisFixture.js";
import { codeOf, insertRows, syntheticRows } from "../node/ledger/ledgerFixture.js";
import type { LedgerTables } from "../node/ledger/schema.js";
import { fillLedger, ledgerCli, syntheticProgram, writeRecord } from "./__fixtures__/ledgerCli.js";
import { runLedgerDashboard } from "./ledgerDashboard.js";

const DAY = 86_400;
const program = syntheticProgram(kpisProgram, `0x${"6b".repeat(20)}`);

describe("cli: punchcard ledger dashboard --serve", function () {
  this.timeout(180_000);
  let dir: string;
  let db: string;
  let record: string;
  const range = ["--by", "month", "--from", "2026-01-01", "--to", "2027-01-01"];

  /** The page `ledger dashboard --out` writes from the database as it is now. */
  async function writtenPage(): Promise<string> {
    const file = path.join(dir, `written-${Date.now()}.html`);
    const { code, stderr } = await ledgerCli(["dashboard", "--program", record, "--db", db, ...range, "--out", file]);
    expect(code, stderr).to.equal(0);
    return fs.readFileSync(file, "utf8");
  }

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-dashboard-serve-"));
    db = path.join(dir, "ledger.sqlite");
    await fillLedger(db, syntheticRows(program, kpisYear({ eventsPerDay: 2 }), KPIS_YEAR_START));
    record = writeRecord(dir, program, { units: null });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("serves the page it would write, built again at each load (rows added in between show), and stops on its signal", async () => {
    const stop = new AbortController();
    let said = "";
    const served = runLedgerDashboard(
      {
        program: record,
        db,
        by: "month",
        from: "2026-01-01",
        to: "2027-01-01",
        out: "unused.html",
        serve: true,
        port: "0",
        signal: stop.signal,
      },
      (t) => (said += t),
    );
    let failed: unknown;
    served.catch((error: unknown) => (failed = error));
    const deadline = Date.now() + 120_000;
    while (!/served at (http:\/\/127\.0\.0\.1:\d+\/)/.test(said) && failed === undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const url = /served at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(said)?.[1];
    expect(failed, String(failed)).to.equal(undefined);
    expect(url, said).to.be.a("string");

    const first = await fetch(url!);
    expect(first.status).to.equal(200);
    expect(first.headers.get("cache-control")).to.equal("no-store");
    const firstPage = await first.text();
    expect(firstPage).to.equal(await writtenPage());
    // Only the page is served.
    const other = await fetch(`${url}ledger.sqlite`);
    expect(other.status).to.equal(404);
    expect(await other.text()).to.contain("Only / is served");

    // Six wallets join in December (a sync would write these rows): the next load shows them.
    const database = openDatabase<LedgerTables>(db);
    const joined = Array.from({ length: 6 }, (_, i) => `0x${(0xd00 + i).toString(16).padStart(40, "0")}` as Address);
    await insertRows(
      database,
      syntheticRows(
        program,
        joined.flatMap((actor) => [
          { kind: "points.rewarded", actor, amount: 500n, code: codeOf("welcome") },
          { kind: "points.minted", actor, amount: 500n, blocks: 0 },
        ]),
        KPIS_YEAR_START + 340 * DAY,
      ).map((row, i) => ({
        ...row,
        tx_hash: `0x${"e".repeat(44)}${i.toString(16).padStart(20, "0")}`,
        block_number: String(900_000 + i),
      })),
    );
    await database.destroy();
    const secondPage = await (await fetch(url!)).text();
    expect(secondPage).to.not.equal(firstPage);
    expect(secondPage).to.equal(await writtenPage());

    stop.abort();
    await served;
    expect(said).to.contain("dashboard server stopped");
    const refused = await fetch(url!).then(
      () => "answered",
      () => "refused",
    );
    expect(refused).to.equal("refused");
  });

  it("refuses a port that is not one before opening anything", async () => {
    const { code, stderr } = await ledgerCli([
      "dashboard",
      "--program",
      record,
      "--db",
      db,
      ...range,
      "--serve",
      "--port",
      "http",
    ]);
    expect(code).to.not.equal(0);
    expect(stderr).to.contain('--port must be a port number, 0 to 65535 (got "http")');
  });
});
