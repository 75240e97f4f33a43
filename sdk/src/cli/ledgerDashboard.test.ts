import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { Browser } from "playwright-core";
import { formatUnits, zeroAddress, type Address, type Hex } from "viem";
import { launchChromium } from "../../../test/helpers/chromium.js";
import { DASHBOARD_CHARTS } from "../node/ledger/dashboard.js";
import { KPIS_YEAR_START, kpisProgram, kpisYear } from "../node/ledger/kpisFixture.js";
import { ACTS_POINTS, kpisActs, withActs } from "../node/ledger/kpisFixtureActs.js";
import { codeOf, syntheticRows, type SyntheticEvent } from "../node/ledger/ledgerFixture.js";
import { fillLedger, ledgerCli as cli, syntheticProgram, writeRecord } from "./__fixtures__/ledgerCli.js";
import type { CampaignFile } from "./campaignFile.js";

const DAY = 86_400;
const program = syntheticProgram(kpisProgram, ACTS_POINTS);
const wallet = (i: number) => `0x${i.toString(16).padStart(40, "0")}` as Address;
const voucherId = (campaign: string, i: number) => `0x${campaign.repeat(31)}${i.toString(16).padStart(2, "0")}` as Hex;

/** Extra rows on a day of the year: trades and journey completions, with transaction hashes of their own. */
function rowsOn(day: number, tag: string, events: SyntheticEvent[]) {
  return syntheticRows(program, events, KPIS_YEAR_START + day * DAY).map((row, i) => ({
    ...row,
    tx_hash: `0x${tag.repeat(44)}${i.toString(16).padStart(20, "0")}`,
    block_number: String(100_000 + day * 100 + i),
  }));
}

function campaignFile(name: string, tag: string, members: number): CampaignFile {
  return {
    version: 1,
    name,
    program: `${program.chainId}:${program.stamps.toLowerCase()}`,
    journeyId: "win-back",
    segment: "SELECT member FROM members",
    consentBlock: "1",
    signedAt: "2026-03-01T00:00:00.000Z",
    reached: Array.from({ length: members }, (_, i) => wallet(i + 1)),
    leftOut: 1,
    vouchers: Array.from({ length: members }, (_, i) => ({
      order: {
        member: wallet(i + 1),
        journeyId: codeOf("win-back"),
        stamps: "0",
        points: "100",
        expiry: "1900000000",
        voucherId: voucherId(tag, i),
        referee: zeroAddress,
      },
      signature: "0x00",
    })),
  };
}

describe("cli: punchcard ledger dashboard", function () {
  this.timeout(180_000);
  let dir: string;
  let base: string[];
  let browser: Browser | undefined;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-dashboard-"));
    const db = path.join(dir, "ledger.sqlite");
    const trade = (seller: number, buyer: number, price: bigint): SyntheticEvent => ({
      kind: "order.filled",
      actor: wallet(seller),
      counterparty: wallet(buyer),
      tokenId: 1_000_000_000n + BigInt(seller),
      seriesId: 1n,
      amount: price,
      currency: zeroAddress,
      royalty: price / 20n,
      fee: 0n,
      code: `0x${"0f".repeat(32)}` as Hex,
    });
    const completion = (member: number, id: Hex): SyntheticEvent => ({
      kind: "journey.completed",
      actor: wallet(member),
      amount: 100n,
      code: codeOf("win-back"),
      args: JSON.stringify({ voucherId: id, stamps: "0", points: "100", referee: zeroAddress }),
    });
    await fillLedger(db, [
      // A year of points, with tiers, consent, journeys, perks, stamps and trades over it.
      ...syntheticRows(program, withActs(kpisYear(), kpisActs()), KPIS_YEAR_START),
      // March: six wallets trade (shown); June: two do (hidden).
      ...rowsOn(70, "a", [trade(1, 2, 10n ** 17n), trade(3, 4, 2n * 10n ** 17n), trade(5, 6, 3n * 10n ** 17n)]),
      ...rowsOn(160, "b", [trade(7, 8, 10n ** 18n)]),
      // Campaign "spring": six of its vouchers redeemed in April; "tiny": two.
      ...rowsOn(
        100,
        "c",
        [0, 1, 2, 3, 4, 5].map((i) => completion(i + 1, voucherId("5", i))),
      ),
      ...rowsOn(
        101,
        "d",
        [0, 1].map((i) => completion(i + 1, voucherId("7", i))),
      ),
    ]);
    const record = writeRecord(dir, program);
    fs.writeFileSync(path.join(dir, "spring.json"), JSON.stringify(campaignFile("spring", "5", 8)));
    fs.writeFileSync(path.join(dir, "tiny.json"), JSON.stringify(campaignFile("tiny", "7", 3)));
    base = ["--program", record, "--db", db, "--by", "month", "--from", "2026-01-01", "--to", "2027-01-01"];
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("draws every chart, has no axe violation at any impact, and its numbers are those of ledger kpis --json", async () => {
    const file = path.join(dir, "dashboard.html");
    const campaigns = `${path.join(dir, "spring.json")},${path.join(dir, "tiny.json")}`;
    const run = await cli(["dashboard", ...base, "--out", file, "--campaign", campaigns]);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/dashboard written to .*dashboard\.html in \d+\.\d s/);
    // One file, nothing fetched: no src= or href= to anywhere.
    const html = fs.readFileSync(file, "utf8");
    expect(html).not.to.match(/\b(src|href)=/);

    const page = await browser!.newPage({ viewport: { width: 1200, height: 900 }, locale: "en-US" });
    const requests: string[] = [];
    page.on("request", (request) => void (!request.url().startsWith("file:") && requests.push(request.url())));
    const errors: string[] = [];
    page.on("pageerror", (error) => void errors.push(error.message));
    await page.goto(`file://${file}`);
    await page.waitForSelector("body[data-charts]", { timeout: 10_000 }).catch(() => expect.fail(errors.join("\n")));
    const marketRows = JSON.parse((await cli(["kpis", ...base, "--kpi", "market", "--json"])).stdout) as Array<
      Record<string, string | number | null>
    >;
    const currencies = [...new Set(marketRows.map((m) => String(m.currency)))];
    expect(currencies).to.have.length(2);
    // The line charts, and one market chart per currency.
    const drawn = DASHBOARD_CHARTS.length + currencies.length;
    expect(await page.locator("body").getAttribute("data-charts")).to.equal(String(drawn));
    expect(await page.locator(".plot canvas").count()).to.equal(drawn);
    expect(requests).to.deep.equal([]);

    await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
    const axe = async () =>
      page.evaluate(async () => {
        // Every <details> open, so axe checks the tables too.
        for (const details of document.querySelectorAll("details")) details.open = true;
        const result = await (
          window as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact: string }> }> } }
        ).axe.run();
        return result.violations.map((v) => `${v.impact} ${v.id}`);
      });
    expect(await axe()).to.deep.equal([]);

    // The numbers on the page, period by period, against ledger kpis --json.
    const kpis = await cli(["kpis", ...base, "--format", "json"]);
    const expected = JSON.parse(kpis.stdout) as Array<Record<string, number | string | null>>;
    const cell = (chart: string, period: string, line: string) =>
      page.locator(`#chart-${chart} tr[data-period="${period}"] td[data-line="${line}"]`).textContent();
    const points = (value: number | string | null) => (value === null ? "<5" : formatUnits(BigInt(value), 2));
    const count = (value: number | string | null) => (value === null ? "<5" : String(value));
    for (const row of expected) {
      const period = String(row.period);
      expect(await cell("members", period, "new"), period).to.equal(count(row.new_members!));
      expect(await cell("members", period, "active 7 days"), period).to.equal(count(row.active_members_7d!));
      expect(await cell("members", period, "active 30 days"), period).to.equal(count(row.active_members_30d!));
      expect(await cell("points", period, "issued"), period).to.equal(points(row.points_issued!));
      expect(await cell("points", period, "redeemed"), period).to.equal(points(row.points_redeemed!));
      expect(await cell("outstanding", period, "outstanding"), period).to.equal(points(row.points_outstanding!));
    }
    expect(expected.some((row) => row.active_members_7d === null)).to.equal(true, "the fixture has a small group to hide");
    // Journeys, referrals and perks per period: the columns of ledger kpis --json.
    for (const row of expected) {
      const period = String(row.period);
      expect(await cell("engagement", period, "journeys completed"), period).to.equal(count(row.journey_completions!));
      expect(await cell("engagement", period, "perks claimed"), period).to.equal(count(row.perk_claims!));
    }
    // The market, one chart per currency: every figure of ledger kpis --kpi market --json, in the currency's units.
    for (const m of marketRows) {
      const decimals = m.currency === zeroAddress ? 18 : 2;
      const text = (v: string | number | null) => (v === null ? "<5" : formatUnits(BigInt(v), decimals));
      expect(await cell(`market-${m.currency}`, String(m.period), "volume"), String(m.period)).to.equal(text(m.volume!));
      expect(await cell(`market-${m.currency}`, String(m.period), "royalties"), String(m.period)).to.equal(text(m.royalties!));
    }
    // The heat maps: every cell of ledger kpis --kpi tiers, rfm and cohorts --json.
    const heat = async (id: string) =>
      page.evaluate(
        (id) =>
          [...document.querySelectorAll(`#${id} td`)].map(
            (td) => ({ ...(td as HTMLElement).dataset, text: td.textContent }) as Record<string, string | undefined>,
          ),
        id,
      );
    const json = async (kpi: string) =>
      JSON.parse((await cli(["kpis", ...base, "--kpi", kpi, "--json"])).stdout) as Array<Record<string, string | number | null>>;
    const tierCells = await heat("heat-tiers");
    const tiers = await json("tiers");
    expect(tiers.some((t) => typeof t.members === "number" && t.members > 0)).to.equal(true);
    for (const t of tiers)
      expect(tierCells.find((c) => c.from === String(t.from_tier) && c.to === String(t.to_tier))?.text).to.equal(
        count(t.members!),
      );
    const rfmCells = await heat("heat-rfm");
    const rfm = await json("rfm");
    expect(rfm.length).to.be.greaterThan(0);
    for (const r of rfm)
      expect(rfmCells.find((c) => c.segment === r.segment)?.text, String(r.segment)).to.equal(count(r.members!));
    const cohortCells = await page.evaluate(() =>
      [...document.querySelectorAll("#heat-cohorts tr[data-cohort] td")].map((td) => ({
        cohort: (td.parentElement as HTMLElement).dataset.cohort,
        week: (td as HTMLElement).dataset.week,
        text: td.textContent,
      })),
    );
    const cohorts = await json("cohorts");
    const byKey = new Map(cohortCells.map((c) => [`${c.cohort}|${c.week}`, c.text]));
    for (const c of cohorts) {
      expect(byKey.get(`${c.cohort}|${c.weeks_since_join}`), `${c.cohort} week ${c.weeks_since_join}`).to.equal(count(c.active!));
      expect(byKey.get(`${c.cohort}|members`)).to.equal(count(c.members!));
    }
    // The campaigns: six of spring's redeemed (April); tiny's two are a group too small to show.
    expect(await page.locator('tr[data-campaign="spring"] td').allTextContents()).to.deep.equal(["win-back", "8", "6"]);
    expect(await page.locator('tr[data-campaign="tiny"] td').allTextContents()).to.deep.equal(["win-back", "3", "<5"]);
    expect(await cell("campaigns", "2026-04", "spring")).to.equal("6");

    // On a phone: nothing wider than the screen, the charts as wide as their cards.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(390);
    expect(await axe()).to.deep.equal([]);
    if (process.env.UPDATE_DOCS_SCREENSHOTS === "1") {
      await page.evaluate(() => {
        for (const details of document.querySelectorAll("details")) details.open = false;
      });
      await page.setViewportSize({ width: 1200, height: 900 });
      await page.waitForTimeout(200);
      await page.screenshot({
        path: path.join(__dirname, "..", "..", "..", "docs", "screenshots", "dashboard.png"),
        fullPage: true,
      });
    }
    await page.close();
  });

  it("refuses a bad period, a bad date and a file that is not a campaign, writing nothing", async () => {
    const file = path.join(dir, "refused.html");
    expect((await cli(["dashboard", ...base, "--by", "year", "--out", file])).stderr).to.contain(
      "--by must be day, week or month",
    );
    expect((await cli(["dashboard", ...base, "--from", "2026-13-45", "--out", file])).stderr).to.contain("--from must be a date");
    const notCampaign = path.join(dir, "program.json");
    const refused = await cli(["dashboard", ...base, "--out", file, "--campaign", notCampaign]);
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.contain(`${notCampaign} is not a campaign file written by punchcard campaign`);
    expect(fs.existsSync(file)).to.equal(false);
  });
});
