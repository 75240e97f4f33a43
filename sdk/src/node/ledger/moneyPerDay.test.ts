import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { freshDatabase } from "../../../../test/helpers/databases.js";
import { runLedgerMoney } from "../../cli/ledgerMoney.js";
import { recordFromProgram } from "../../program.js";
import { receiptIdOfPayment } from "../../server/payments/config.js";
import { PaymentStore } from "../../server/payments/store.js";
import {
  BRAND_SECRET,
  paymentsSetup,
  paymentTables,
  postStripe,
  stripePaid,
  stripeRefunded,
} from "../../server/payments/__fixtures__/webhooks.js";
import { openDatabase } from "../database.js";
import { moneyPerDay } from "./moneyPerDay.js";
import { migrateLedger, type LedgerTables } from "./schema.js";
import { syncLedger } from "./syncLedger.js";

const receipt = (paymentId: string) => receiptIdOfPayment({ brandSecret: BRAND_SECRET, provider: "stripe", paymentId });

describe("ledger money: money in and back per day, joined to the chain by receipt id", () => {
  it("sums a store's payments and refunds per day and currency, matches the chain's credits and reversals, and lists what the chain lacks", async () => {
    let now = Date.parse("2026-03-01T09:00:00Z");
    const clock = () => now;
    const s = await paymentsSetup({ server: { clock } });
    const at = { timestamp: () => ({ timestamp: Math.floor(now / 1000) }) };
    const paid = async (paymentId: string, wallet: string, pack: "small" | "large") => {
      const amount = pack === "small" ? 499 : 999;
      const answer = await postStripe(s.server.app, stripePaid(paymentId, wallet, { pack, amount }), at.timestamp());
      expect(answer.json.outcome, paymentId).to.equal("applied");
    };
    // Day 1: two payments, credited.
    await paid("pi_m1", s.ada.account.address, "small");
    await paid("pi_m2", s.ben.account.address, "large");
    await s.payments.outbox.drain();
    // Day 2: the first refunded whole, the second in part (a partial refund reverses the whole package), both
    // reversed on chain; then a payment while the chain is down: stored, not yet credited.
    now = Date.parse("2026-03-02T15:30:00Z");
    expect((await postStripe(s.server.app, stripeRefunded("pi_m1", 499), at.timestamp())).json.outcome).to.equal("applied");
    expect((await postStripe(s.server.app, stripeRefunded("pi_m2", 300), at.timestamp())).json.outcome).to.equal("applied");
    await s.payments.outbox.drain();
    s.chain.down = true;
    await paid("pi_m3", s.cleo.account.address, "small");
    await s.payments.outbox.drain();
    s.chain.down = false;
    // Another program's payment in the same store counts nowhere here.
    const other = new PaymentStore(paymentTables(s.db), { ...s.program, chainId: 10 }, clock);
    await other.recordPayment({
      receiptId: receipt("pi_other"),
      provider: "stripe",
      paymentId: "pi_other",
      wallet: s.ada.account.address,
      packageId: "large",
      points: 1_200n,
      amount: 999n,
      currency: "eur",
    });

    const ledgerLocation = await freshDatabase("sqlite");
    const ledger = openDatabase<LedgerTables>(ledgerLocation);
    await migrateLedger(ledger);
    await syncLedger(s.ben, { program: s.program, db: ledger });
    const { days, unmatched } = await moneyPerDay({ ledger, store: paymentTables(s.db), program: s.program });
    expect(days).to.deep.equal([
      {
        day: "2026-03-01",
        currency: "eur",
        moneyIn: 1_498n,
        moneyBack: 0n,
        pointsCredited: 1_700n,
        pointsReversed: 0n,
        payments: 2,
        unmatched: 0,
      },
      {
        day: "2026-03-02",
        currency: "eur",
        moneyIn: 499n,
        moneyBack: 799n,
        pointsCredited: 0n,
        pointsReversed: 1_700n,
        payments: 1,
        unmatched: 1,
      },
    ]);
    expect(unmatched).to.deep.equal([
      { receiptId: receipt("pi_m3"), day: "2026-03-02", currency: "eur", amount: 499n, missing: "credit", chain: "queued" },
    ]);

    // Once the outbox credits it (its retry due a minute later) and the ledger syncs again, it is matched.
    now += 60_000;
    await s.payments.outbox.drain();
    await syncLedger(s.ben, { program: s.program, db: ledger });
    const later = await moneyPerDay({ ledger, store: paymentTables(s.db), program: s.program });
    expect(later.unmatched).to.deep.equal([]);
    expect(later.days[1]).to.deep.include({ pointsCredited: 500n, unmatched: 0 });

    // The command prints the same figures.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-money-"));
    const recordFile = path.join(dir, "record.json");
    const record = recordFromProgram(s.program, {
      brand: "Test",
      network: "hardhat",
      configHash: `0x${"00".repeat(32)}`,
      deployer: s.ada.account.address,
    });
    fs.writeFileSync(recordFile, JSON.stringify(record));
    await ledger.destroy();
    await s.db.destroy();
    let printed = "";
    await runLedgerMoney(
      { program: recordFile, db: ledgerLocation, store: s.location, format: "csv" },
      (text) => (printed += text),
    );
    expect(printed.trim().split("\n")).to.deep.equal([
      "day,currency,money_in,money_back,points_credited,points_reversed,payments,unmatched",
      "2026-03-01,EUR,1498,0,1700,0,2,0",
      "2026-03-02,EUR,499,799,500,1700,1,0",
    ]);
  });

  it("refuses to run without --store, and says where the ledger is missing", async () => {
    const error = await runLedgerMoney({ program: "x.json", db: "ledger.sqlite", store: undefined, format: "table" }).catch(
      (e: Error) => e,
    );
    expect(String(error)).to.match(/money needs --store/);
    const missing = await runLedgerMoney({
      program: "x.json",
      db: "/nonexistent/ledger.sqlite",
      store: "s.sqlite",
      format: "table",
    }).catch((e: Error) => e);
    expect(String(missing)).to.match(/There is no ledger database at \/nonexistent\/ledger.sqlite/);
  });
});
