import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createPublicClient, http } from "viem";
import { openDatabase, syncLedger, type LedgerTables } from "@punchcard/sdk/node";
import { buildFixture } from "../bench/ledger/fixture";
import { CANONICAL_COLUMNS, canonical, ourRows } from "../bench/ledger/besidePonder";
import { startPonder } from "../bench/ledger/ponder";
import { serveInProcessChain } from "./helpers/rpcServer";

// The ledger benchmark compares our backfill with Ponder's (bench/ponder) only if both write the same rows:
// this runs both on a small chain with every kind of event the benchmark writes and compares them column for
// column. Ponder starts as its own process on PGlite (about a minute, most of it PGlite's setup).
describe("ledger beside Ponder: the benchmark's Ponder project writes our rows", function () {
  this.timeout(600_000);

  it("indexes mints, rewards, trades and consent into the rows syncLedger writes", async () => {
    const fixture = await buildFixture(50, { trades: 3, consents: 2, log: () => undefined });
    const rpc = await serveInProcessChain();
    const location = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ponder-agree-")), "ledger.sqlite");
    try {
      const client = createPublicClient({ transport: http(rpc.url, { retryCount: 0 }) });
      const db = openDatabase<LedgerTables>(location);
      await syncLedger(client, { program: fixture.program, db });
      await db.destroy();
      const ours = await ourRows(location, fixture.program, fixture.lastEventBlock);
      const kindAt = CANONICAL_COLUMNS.indexOf("kind");
      const kinds = new Set(ours.map((line) => (JSON.parse(line) as string[])[kindAt]));
      for (const kind of ["stamp.minted", "points.rewarded", "order.filled", "consent.linked", "consent.granted"]) {
        expect(kinds, kind).to.include(kind);
      }

      const ponder = await startPonder({
        engine: "pglite",
        rpcUrl: rpc.url,
        program: fixture.program,
        untilBlock: fixture.lastEventBlock,
      });
      try {
        const theirs = (await ponder.rows(fixture.lastEventBlock)).map(canonical);
        expect(theirs).to.deep.equal(ours);
      } finally {
        await ponder.stop();
      }
    } finally {
      await rpc.close();
    }
  });
});
