import { migrateLedger, openDatabase, type LedgerTables } from "@punchcard/sdk/node";
import { insertRows, syntheticProgram, syntheticRows } from "../../sdk/src/node/ledger/ledgerFixture";
import { syntheticHistory } from "./stats";
(async () => {
  const db = openDatabase<LedgerTables>(process.argv[2]!);
  await migrateLedger(db);
  const rows = syntheticRows(syntheticProgram(31337, `0x${"5a".repeat(20)}`), syntheticHistory(Number(process.argv[3])));
  for (let i = 0; i < rows.length; i += 50_000) await insertRows(db, rows.slice(i, i + 50_000));
  await db.destroy();
})();
