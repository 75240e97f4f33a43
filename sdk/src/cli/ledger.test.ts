import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { network } from "hardhat";
import { getLogs } from "viem/actions";
import {
  creditPurchase,
  mintStamps,
  programAddresses,
  receiptIdOf,
  redeemPoints,
  redeemVoucher,
  rewardPoints,
  signVoucher,
} from "@punchcard/sdk";
import { exportEntries, fromCsv, openDatabase, type LedgerTables } from "@punchcard/sdk/node";
import { deployProgram } from "@punchcard/sdk/deploy";
import { sdkProgram } from "../../../test/helpers/sdkProgram.js";
import { testConfig, viemActors } from "../../../test/helpers/viem.js";
import { serveInProcessChain } from "../../../test/helpers/rpcServer.js";
import { launchChromium } from "../../../test/helpers/chromium.js";
import { ledgerCli, writeRecord } from "./__fixtures__/ledgerCli.js";

async function history() {
  const f = await sdkProgram();
  const [a, b, c] = f.members.map((m) => m.account.address);
  await rewardPoints(f.backend, {
    program: f.program,
    reason: "welcome",
    rewards: [a!, b!, c!].map((member) => ({ member, amount: 100n })),
  });
  await mintStamps(f.backend, { program: f.program, seriesId: 1n, to: [a!, b!] });
  await mintStamps(f.backend, { program: f.program, seriesId: 2n, to: [c!] });
  await creditPurchase(f.backend, { program: f.program, member: b!, amount: 40n, receiptId: receiptIdOf("r-9", "s") });
  await redeemPoints(f.members[0]!, { program: f.program, amount: 25n, rewardId: "croissant" });
  // A journey paying only its stamp, so the points figures stay those above.
  const voucher = await signVoucher(f.backend, { program: f.program, member: a!, journeyId: "first-visit", stamps: 1n });
  await redeemVoucher(f.members[0]!, { program: f.program, voucher });
  return f;
}

/** A program whose points expire after 30 days without activity; Ada earned 150 of them, then nothing happened. */
async function quietProgram() {
  const actors = await viemActors();
  const base = testConfig(actors.treasury.account.address, actors.backend.account.address);
  const config = { ...base, points: { ...base.points, expiry: { model: "inactivity" as const, days: 30 } } };
  const { program } = await deployProgram(actors.brand, { config });
  const ada = actors.members[0]!.account.address;
  await rewardPoints(actors.backend, { program, reason: "visit", rewards: [{ member: ada, amount: 150n }] });
  return { ...actors, program };
}

/** Points of 2 decimals named TPT, as this file's deployed programs are recorded. */
const TPT = { pointsSymbol: "TPT", pointsDecimals: 2, nativeSymbol: "ETH", nativeDecimals: 18 };

/** Runs `punchcard ledger`, capturing what it prints (sync's progress goes straight to stderr). */
const cli = (args: string[]) => ledgerCli(args, { processStderr: true });

describe("cli: punchcard ledger", () => {
  let dir: string;
  let rpc: Awaited<ReturnType<typeof serveInProcessChain>> | undefined;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-ledger-"))));
  afterEach(async () => {
    await rpc?.close();
    rpc = undefined;
  });

  async function setUp() {
    const f = await loadFixture(history);
    rpc = await serveInProcessChain();
    const recordPath = writeRecord(dir, f.program, { deployer: f.brand.account.address, units: TPT });
    const db = path.join(dir, "ledger.sqlite");
    return { ...f, recordPath, db, base: ["--program", recordPath, "--db", db, "--rpc", rpc.url] };
  }

  it("syncs with progress, then exports CSV and JSON that parse back to the same rows", async () => {
    const { program, brand, base, db } = await setUp();
    const sync = await cli(["sync", ...base]);
    expect(sync.code, sync.stderr).to.equal(0);
    const logs = await getLogs(brand, { address: programAddresses(program), fromBlock: program.deployBlock });
    expect(sync.stdout).to.match(new RegExp(`${logs.length} entries read, ${logs.length} new rows`));
    expect(sync.stderr).to.match(/sync: blocks \d+\/\d+, \d+ entries, \d+ entries\/s/);

    // Nothing new: said in words, never as an empty range ("synced blocks 91-90").
    const again = await cli(["sync", ...base]);
    expect(again.stdout).to.match(/^already up to date: every block to \d+ is synced, 0 entries read, 0 new rows\n$/);
    expect(again.stdout).not.to.match(/synced blocks/);

    const database = openDatabase<LedgerTables>(db);
    const rows = await exportEntries(database, { program });
    await database.destroy();
    expect(rows.length).to.equal(logs.length);

    const csv = await cli(["export", ...base, "--format", "csv"]);
    expect(fromCsv(csv.stdout)).to.deep.equal(rows);
    const json = await cli(["export", ...base, "--format", "json"]);
    expect(JSON.parse(json.stdout)).to.deep.equal(rows);

    // The table prints each amount in its unit: 100 points of 2 decimals are "1 TPT".
    const table = (await cli(["export", ...base])).stdout;
    expect(table).to.match(/points\.rewarded\s+0x[0-9a-fA-F]{40} 1 TPT\n/);
    expect(table).to.match(/points\.redeemed\s+0x[0-9a-fA-F]{40} 0\.25 TPT\n/);

    const from = rows[Math.floor(rows.length / 2)]!.block_number;
    const tail = JSON.parse((await cli(["export", ...base, "--format", "json", "--from", String(from)])).stdout);
    expect(tail).to.deep.equal(rows.filter((r) => Number(r.block_number) >= Number(from)));
  });

  it("prints the figures as a table, CSV and JSON", async () => {
    const { base } = await setUp();
    await cli(["sync", ...base]);
    const json = JSON.parse((await cli(["stats", ...base, "--format", "json"])).stdout);
    expect(json.points).to.deep.include({ issued: "340", redeemed: "25", outstanding: "315" });
    expect(json.members).to.equal(3);
    // The table prints amounts as people read them: this record's points have 2 decimals.
    const table = (await cli(["stats", ...base])).stdout;
    expect(table).to.match(/points_outstanding\s+3\.15 TPT\n/);
    expect(table).to.match(/points_issued\s+3\.4 TPT\n/);
    const csv = (await cli(["stats", ...base, "--format", "csv"])).stdout;
    expect(csv.split("\n")).to.include("series_1_minted_of_max,2/3");
    // Completions per journey (steps are checked off-chain, so there is no started-vs-finished conversion).
    expect(csv.split("\n")).to.include("journey_first-visit_completions,1");
    expect(json.journeys).to.deep.equal([
      { journeyId: json.journeys[0].journeyId, name: "first-visit", completions: 1, members: 1, points: "0" },
    ]);
  });

  it("dates expiry at the chain's clock: after quiet weeks the expired points show, in stats and report alike", async () => {
    const f = await loadFixture(quietProgram);
    rpc = await serveInProcessChain();
    const recordPath = writeRecord(dir, f.program, { brand: "Quiet Coffee", deployer: f.brand.account.address, units: TPT });
    const base = ["--program", recordPath, "--db", path.join(dir, "ledger.sqlite"), "--rpc", rpc.url];
    await cli(["sync", ...base]);
    const fresh = JSON.parse((await cli(["stats", ...base, "--format", "json"])).stdout);
    expect(fresh.expiry).to.deep.include({ model: "inactivity", expiredUnburned: "0", expiring30d: "150" });

    // Six quiet weeks: blocks, no event of the program. The ledger has nothing new, the chain's clock moved on.
    await time.increase(42 * 86_400);
    const latest = await f.brand.getBlock({ blockTag: "latest" });
    const json = JSON.parse((await cli(["stats", ...base, "--format", "json"])).stdout);
    expect(json.asOf).to.equal(Number(latest.timestamp));
    expect(json.expiry).to.deep.include({ expiredUnburned: "150", expiring30d: "0", membersExpiring30d: 0 });
    expect(json.points.outstanding).to.equal("150"); // still a liability on the books until burned
    const table = (await cli(["stats", ...base])).stdout;
    expect(table).to.match(/points_expired_unburned\s+1\.5 TPT\n/);
    const out = path.join(dir, "report.html");
    await cli(["report", ...base, "--out", out]);
    expect(fs.readFileSync(out, "utf8")).to.contain("<tr><td>Points expired, not yet burned</td><td>1.5 TPT</td></tr>");

    // Without the chain's clock the figures are dated at the newest event, and it says so.
    const offline = await cli(["stats", ...base.slice(0, 4), "--rpc", "http://127.0.0.1:9", "--format", "json"]);
    expect(JSON.parse(offline.stdout).expiry.expiredUnburned).to.equal("0");
    expect(offline.stderr).to.contain("did not answer, so the figures are dated at the newest synced event, not now");
  });

  it("writes the report in the program's units (2 decimals) with series names, its figures those of ledger stats", async () => {
    const { base } = await setUp();
    await cli(["sync", ...base]);
    const stats = new Map(
      (await cli(["stats", ...base])).stdout
        .trimEnd()
        .split("\n")
        .map((line) => [line.slice(0, 28).trim(), line.slice(29)] as const),
    );
    const out = path.join(dir, "report.html");
    await cli(["report", ...base, "--out", out]);
    const html = fs.readFileSync(out, "utf8");
    const figures = new Map([...html.matchAll(/<tr><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => [m[1]!, m[2]!]));
    expect(figures.get("Points issued")).to.equal(stats.get("points_issued")).and.equal("3.4 TPT");
    expect(figures.get("Points redeemed")).to.equal(stats.get("points_redeemed")).and.equal("0.25 TPT");
    expect(figures.get("Points outstanding (liability)")).to.equal(stats.get("points_outstanding")).and.equal("3.15 TPT");
    expect(figures.get("Points expired (burned)")).to.equal(stats.get("points_expired"));
    expect(figures.get("Members (holders now)")).to.equal(stats.get("members"));
    // Series by the names the Stamps contract holds, never "#1".
    expect(figures.get("Autumn Cup: stamps minted")).to.equal("2 of 3");
    expect(stats.get("series_1_minted_of_max")).to.equal("2/3");
    expect(figures.get("First Visit: stamps minted")).to.match(/^2 of \d+$/);
    expect(html)
      .to.contain(">Autumn Cup</text>")
      .and.not.to.match(/>#\d+</);
    expect(html).to.contain("TPT issued vs redeemed per day");
    expect(html).not.to.match(/>340</); // the smallest units, 100 times too high
  });

  it("writes an HTML report whose charts draw in headless Chromium, offline", async () => {
    const { base } = await setUp();
    await cli(["sync", ...base]);
    const out = path.join(dir, "report.html");
    const result = await cli(["report", ...base, "--out", out]);
    expect(result.stdout).to.contain(`report written to ${out}`);
    const html = fs.readFileSync(out, "utf8");
    expect(html).not.to.match(/<script|https?:\/\//); // nothing to load: it opens offline

    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`file://${out}`);
      const charts = await page.$$eval("svg.chart", (svgs) =>
        svgs.map((svg) => ({
          width: svg.getBoundingClientRect().width,
          bars: [...svg.querySelectorAll("rect.bar")].filter((r) => (r as SVGGraphicsElement).getBBox().height > 0).length,
        })),
      );
      expect(charts.length).to.equal(2);
      for (const chart of charts) {
        expect(chart.width).to.be.greaterThan(100);
        expect(chart.bars).to.be.greaterThan(0);
      }
      await page.screenshot({ path: path.join(dir, "report.png"), fullPage: true });
    } finally {
      await browser.close();
    }
  });

  it("explains a missing record, an unreachable RPC, a corrupt database and bad flags", async () => {
    const { base, recordPath, program } = await setUp();
    const missing = await cli(["stats", "--program", path.join(dir, "nope.json")]);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.contain("nope.json does not exist");

    const down = await cli(["sync", "--program", recordPath, "--db", path.join(dir, "x.sqlite"), "--rpc", "http://127.0.0.1:9"]);
    expect(down.code).to.equal(1);
    expect(down.stderr).to.contain("Cannot reach the RPC at http://127.0.0.1:9");

    const never = await cli(["stats", "--program", recordPath, "--db", path.join(dir, "never-synced.sqlite")]);
    expect(never.code).to.equal(1);
    expect(never.stderr).to.contain("There is no ledger database at").and.to.contain("punchcard ledger sync --program");
    expect(fs.existsSync(path.join(dir, "never-synced.sqlite"))).to.equal(false);
    const otherProgram = await cli(["export", "--program", recordPath, "--db", path.join(dir, "x.sqlite")]);
    expect(otherProgram.stderr).to.contain("holds no entries of this program");

    const corrupt = path.join(dir, "corrupt.sqlite");
    fs.writeFileSync(corrupt, "definitely not sqlite ".repeat(20));
    const bad = await cli(["stats", "--program", recordPath, "--db", corrupt]);
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.contain("corrupt.sqlite is not a usable SQLite database");

    expect((await cli(["frobnicate", ...base])).stderr).to.contain('Unknown command "frobnicate"');
    expect((await cli(["stats", ...base, "--format", "xml"])).stderr).to.contain("--format must be table, csv or json");
    expect((await cli(["export", ...base, "--from", "yesterday"])).stderr).to.contain("--from must be a block number");
    expect((await cli(["--help"])).stdout).to.contain(
      "Usage: punchcard ledger <sync|stats|export|report|sql|kpis|parquet|dashboard|money> --program",
    );
    expect((await cli(["stats"])).stderr).to.contain("--program is required");

    // An RPC of the same chain id without the program (another local node): refused, not read as the program's clock.
    await cli(["sync", ...base]);
    await network.provider.send("hardhat_setCode", [program.stamps, "0x"]);
    const elsewhere = await cli(["stats", ...base]);
    expect(elsewhere.code).to.equal(1);
    expect(elsewhere.stderr).to.contain("but the program's Stamps contract is not on it").and.contain("--rpc");

    const record = JSON.parse(fs.readFileSync(recordPath, "utf8"));
    const badRecord = path.join(dir, "bad-record.json");
    fs.writeFileSync(badRecord, JSON.stringify({ ...record, contracts: { ...record.contracts, market: "0x1234" } }));
    const refused = await cli(["stats", "--program", badRecord]);
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.contain(
      "is not a Punchcard deployment record: record.contracts.market is invalid: must be a 0x address of 20 bytes",
    );
  });
});
