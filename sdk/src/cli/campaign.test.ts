import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Address, Hex } from "viem";
import {
  attestLink,
  changeConsent,
  commitmentOf,
  ContractRevertError,
  randomSalt,
  redeemVoucher,
  rewardPoints,
  signConsentLink,
  submitLink,
  type Purpose,
  type SignedVoucher,
} from "@punchcard/sdk";
import { openDatabase, syncLedger, type LedgerTables } from "@punchcard/sdk/node";
import { sdkProgram } from "../../../test/helpers/sdkProgram.js";
import { recordFromProgram } from "../program.js";
import { runCampaignCommand } from "./campaign.js";
import type { CampaignFile } from "./campaignFile.js";
import type { CliClient } from "./clients.js";
import { runCommand } from "./command.js";
import { ledgerCommand } from "./ledger.js";

/** The test program with eight linked members: six give marketing, one never does, one withdraws it. */
async function campaignProgram() {
  const f = await sdkProgram();
  const members = f.members.slice(0, 8);
  await rewardPoints(f.backend, {
    program: f.program,
    rewards: members.map((m) => ({ member: m.account.address, amount: 100n })),
    reason: "welcome",
  });
  const marketing: Purpose[] = ["rewards", "analytics", "marketing"];
  for (const [i, member] of members.entries()) {
    const commitment = commitmentOf(randomSalt(), `cust-${i}`);
    const purposes: Purpose[] = i === 6 ? ["rewards", "analytics"] : marketing;
    const consent = await signConsentLink(member, { program: f.program, commitment, purposes });
    const attestation = await attestLink(f.backend, { program: f.program, wallet: member.account.address, commitment });
    await submitLink(f.backend, { program: f.program, consent, attestation });
  }
  // The eighth withdraws marketing (keeps analytics): still in the segment, never in the campaign.
  await changeConsent(members[7]!, { program: f.program, purposes: ["rewards", "analytics"] });
  return { ...f, members };
}

const voucherOf = (v: CampaignFile["vouchers"][number]): SignedVoucher => ({
  order: {
    member: v.order.member as Address,
    journeyId: v.order.journeyId as Hex,
    stamps: BigInt(v.order.stamps),
    points: BigInt(v.order.points),
    expiry: BigInt(v.order.expiry),
    voucherId: v.order.voucherId as Hex,
    referee: v.order.referee as Address,
  },
  signature: v.signature as Hex,
  orderHash: "0x",
});

describe("cli: punchcard campaign", function () {
  this.timeout(180_000);

  it("reaches exactly the segment's members with marketing consent; their redemptions show on the dashboard; a rerun pays no one twice", async () => {
    const { program, backend, members } = await loadFixture(campaignProgram);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-campaign-"));
    const db = path.join(dir, "ledger.sqlite");
    const record = path.join(dir, "program.json");
    fs.writeFileSync(
      record,
      JSON.stringify(
        recordFromProgram(program, {
          brand: "Test Coffee",
          network: "hardhat",
          configHash: `0x${"00".repeat(32)}`,
          deployer: backend.account.address,
          units: { pointsSymbol: "BEANS", pointsDecimals: 0, nativeSymbol: "ETH", nativeDecimals: 18 },
        }),
      ),
    );
    const sync = async () => {
      const database = openDatabase<LedgerTables>(db);
      await syncLedger(backend, { program, db: database });
      await database.destroy();
    };
    await sync();
    const out = path.join(dir, "spring.json");
    const options = {
      program: record,
      db,
      segment: "members",
      journey: "first-visit",
      name: "spring",
      points: 10n,
      days: 30,
      out,
    };
    let said = "";
    const file = await runCampaignCommand(backend as unknown as CliClient, options, (t) => void (said += t));

    const lower = (wallets: readonly string[]) => wallets.map((w) => w.toLowerCase()).sort();
    const of = (wallet: string) => members.find((m) => m.account.address.toLowerCase() === wallet.toLowerCase())!;
    expect(lower(file.reached)).to.deep.equal(lower(members.slice(0, 6).map((m) => m.account.address)));
    // The member who never gave marketing and the one who withdrew it are in the segment, not in the campaign.
    for (const left of [members[6]!, members[7]!]) {
      expect(lower(file.reached)).not.to.include(left.account.address.toLowerCase());
      expect(lower(file.vouchers.map((v) => v.order.member))).not.to.include(left.account.address.toLowerCase());
    }
    expect(file.leftOut).to.equal(2);
    expect(said).to.contain("campaign spring: 6 members reached with a voucher of first-visit; 2 of the segment left out");
    // Wallets only: no customer id, no commitment, no salt in the file.
    expect(fs.readFileSync(out, "utf8")).not.to.match(/cust-|commitment|salt/);

    // Each member redeems; the dashboard counts the campaign's redemptions.
    for (const voucher of file.vouchers) {
      await redeemVoucher(of(voucher.order.member), { program, voucher: voucherOf(voucher) });
    }
    await sync();
    const page = path.join(dir, "dashboard.html");
    let stderr = "";
    const code = await runCommand(
      ledgerCommand,
      ["dashboard", "--program", record, "--db", db, "--by", "month", "--out", page, "--campaign", out],
      { out: () => undefined, err: (t) => void (stderr += t) },
    );
    expect(code, stderr).to.equal(0);
    expect(fs.readFileSync(page, "utf8")).to.match(
      /<tr data-campaign="spring"><th scope="row">spring<\/th><td>first-visit<\/td><td>6<\/td><td>6<\/td><\/tr>/,
    );

    // The same campaign again: the same voucher ids, which the Rewards contract pays once.
    const again = await runCampaignCommand(
      backend as unknown as CliClient,
      { ...options, out: path.join(dir, "again.json") },
      () => {},
    );
    expect(again.vouchers.map((v) => v.order.voucherId)).to.deep.equal(file.vouchers.map((v) => v.order.voucherId));
    const first = again.vouchers[0]!;
    const refused = await redeemVoucher(of(first.order.member), { program, voucher: voucherOf(first) }).catch(
      (error: unknown) => error,
    );
    expect(refused).to.be.instanceOf(ContractRevertError);
    expect((refused as ContractRevertError).errorName).to.equal("RewardsVoucherAlreadyRedeemed");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a segment with no member column and a journey the program does not have, signing nothing", async () => {
    const { program, backend } = await loadFixture(campaignProgram);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-campaign-"));
    const db = path.join(dir, "ledger.sqlite");
    const record = path.join(dir, "program.json");
    fs.writeFileSync(
      record,
      JSON.stringify(
        recordFromProgram(program, {
          brand: "Test Coffee",
          network: "hardhat",
          configHash: `0x${"00".repeat(32)}`,
          deployer: backend.account.address,
        }),
      ),
    );
    const database = openDatabase<LedgerTables>(db);
    await syncLedger(backend, { program, db: database });
    await database.destroy();
    const out = path.join(dir, "c.json");
    const base = { program: record, db, journey: "first-visit", name: "c", days: 30, out };
    const noMember = await runCampaignCommand(
      backend as unknown as CliClient,
      { ...base, segment: "SELECT 1 AS n" },
      () => {},
    ).catch((e: Error) => e);
    expect(String(noMember)).to.contain("not a member column");
    const noJourney = await runCampaignCommand(
      backend as unknown as CliClient,
      { ...base, segment: "members", journey: "no-such-journey" },
      () => {},
    ).catch((e: Error) => e);
    expect(String(noJourney)).to.contain('The journey "no-such-journey" does not exist or is closed');
    // A segment that writes is refused by the read-only connection.
    const writes = await runCampaignCommand(
      backend as unknown as CliClient,
      { ...base, segment: "DELETE FROM ledger_entries" },
      () => {},
    ).catch((e: Error) => e);
    expect(String(writes)).to.contain("The query failed");
    expect(fs.existsSync(out)).to.equal(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
