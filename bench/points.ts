/**
 * Gas each Points expiry model adds to a transfer, a reward and a redemption: the same program state under "none",
 * "inactivity" (365 days) and "dated" lots (365 days: lots of 12 days), nothing pending, on the in-process network.
 * Every row over 10 % above "none" is printed with why. Writes bench/results/points-<date>.md and .json.
 *
 *   npm run bench:points      (hardhat run bench/points.ts)
 *
 * Not part of `npm test`: it measures. test/PointsDatedLots.test.ts asserts the worst case (a spend of 32 lots).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import hre from "hardhat";
import type { ContractTransactionResponse } from "ethers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { Expiry } from "../test/fixtures/tokens";
import { pointsWithTerms } from "../test/fixtures/pointsLifecycle";

const DAY = 24 * 60 * 60;
const DAYS = 365;
const reason = hre.ethers.encodeBytes32String("bench");
const MODELS = [
  { name: "none", terms: { pendingDays: 0, expiry: Expiry.None, expiryDays: 0 } },
  { name: `inactivity ${DAYS} days`, terms: { pendingDays: 0, expiry: Expiry.Inactivity, expiryDays: DAYS } },
  { name: `dated lots ${DAYS} days`, terms: { pendingDays: 0, expiry: Expiry.DatedLots, expiryDays: DAYS } },
] as const;

/** Why a row costs more than 10 % over "none" under each model (printed only for the rows that do). */
const WHY: Record<string, string> = {
  "dated:transfer, to a holder":
    "the spend reads the sender's lot queue and its oldest lot (two cold slots, 4,200 gas) and updates the lot; the receiver's lot of the period is read and added to (another cold slot and a write)",
  "dated:transfer, to a holder whose last lot is of an earlier period":
    "as above, and the receiver's new lot is a fresh slot (22,100 gas) plus a write to the queue's tail",
  "dated:transfer, to a fresh member": "the fresh member's queue and first lot are two new slots (2 × 22,100 gas)",
  "dated:reward, fresh member": "the fresh member's queue and first lot are two new slots (2 × 22,100 gas)",
  "dated:reward, to a holder": "the lot of the period is read and added to (a cold slot and a write, about 5,000 gas)",
  "dated:redeem": "the spend reads the queue and the oldest lot and writes the lot (two cold slots and a write)",
  "dated:redeem, across two lots":
    "the spend empties the oldest lot (a delete, partly refunded) and takes the rest from the next one",
};

interface Row {
  operation: string;
  gas: Record<string, number>;
}

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  return Number((await (await tx).wait())!.gasUsed);
}

async function measure(terms: (typeof MODELS)[number]["terms"]): Promise<Map<string, number>> {
  const { points, minter, members } = await pointsWithTerms(terms);
  const [holder, other, spender] = [members[0]!, members[1]!, members[2]!];
  const fresh = () => hre.ethers.Wallet.createRandom().address;
  const rows = new Map<string, number>();
  // A running program: the members hold points earned in this period.
  await points.connect(minter).reward(holder.address, 10_000, reason);
  await points.connect(minter).reward(other.address, 1, reason);
  await points.connect(minter).reward(spender.address, 100, reason);
  rows.set("transfer, to a holder", await gasOf(points.connect(holder).transfer(other.address, 1)));
  rows.set("transfer, to a fresh member", await gasOf(points.connect(holder).transfer(fresh(), 1)));
  rows.set("reward, fresh member", await gasOf(points.connect(minter).reward(fresh(), 100, reason)));
  rows.set("reward, to a holder", await gasOf(points.connect(minter).reward(other.address, 100, reason)));
  rows.set("redeem", await gasOf(points.connect(holder).redeem(100, reason)));
  // A period later (12 days: the dated model's lot period): new lots.
  await time.increase(13 * DAY);
  await points.connect(minter).reward(spender.address, 100, reason);
  rows.set(
    "transfer, to a holder whose last lot is of an earlier period",
    await gasOf(points.connect(holder).transfer(other.address, 1)),
  );
  rows.set("redeem, across two lots", await gasOf(points.connect(spender).redeem(150, reason)));
  return rows;
}

async function main() {
  const results = new Map<string, Map<string, number>>();
  for (const model of MODELS) results.set(model.name, await measure(model.terms));
  const none = results.get("none")!;
  const rows: Row[] = [...none.keys()].map((operation) => ({
    operation,
    gas: Object.fromEntries(MODELS.map((m) => [m.name, results.get(m.name)!.get(operation)!])),
  }));
  const over = (row: Row, model: string) => (row.gas[model]! - row.gas.none!) / row.gas.none!;
  const date = new Date().toISOString().slice(0, 10);
  const lines = [
    `# Points expiry models: gas (${date})`,
    "",
    `The same program state under each model, nothing pending; in brackets the extra over "none". Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}. Written by \`npm run bench:points\`.`,
    "",
    `| operation | ${MODELS.map((m) => m.name).join(" | ")} |`,
    `|---|${MODELS.map(() => "---:").join("|")}|`,
    ...rows.map(
      (row) =>
        `| ${row.operation} | ${MODELS.map((m, i) =>
          i === 0
            ? row.gas[m.name]!.toLocaleString("en-US")
            : `${row.gas[m.name]!.toLocaleString("en-US")} (${over(row, m.name) >= 0 ? "+" : ""}${(over(row, m.name) * 100).toFixed(1)} %)`,
        ).join(" | ")} |`,
    ),
    "",
    "Over 10 %, and why:",
    "",
  ];
  for (const model of MODELS.slice(1)) {
    const key = model.name.startsWith("dated") ? "dated" : "inactivity";
    for (const row of rows) {
      if (over(row, model.name) <= 0.1) continue;
      const why = WHY[`${key}:${row.operation}`];
      lines.push(
        `- ${model.name}, ${row.operation}: +${(over(row, model.name) * 100).toFixed(1)} %: ${why || "(no reason recorded: look into it)"}.`,
      );
    }
  }
  lines.push(
    "",
    "Dated lots cost what they must: the date of each earn has to be stored somewhere, and a member's balance slot is",
    "full (balance, status points, last activity). Lots of one period share a slot, a member holds at most 32 live lots",
    "(periods of ceil(N / 32) days), so a spend is O(1) amortised and its worst case is bounded: a spend of all 32 lots",
    "(the dust test in test/PointsDatedLots.test.ts) stays under 400,000 gas however many 1-wei transfers others sent.",
    "",
  );
  const dir = path.join(__dirname, "results");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `points-${date}.md`), lines.join("\n"));
  fs.writeFileSync(
    path.join(dir, `points-${date}.json`),
    `${JSON.stringify({ date, models: MODELS.map((m) => m.name), rows }, null, 2)}\n`,
  );
  console.log(lines.join("\n"));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
