/**
 * `punchcard campaign`: a segment of the analysts' views becomes a journey's voucher campaign, for exactly the
 * members in it whose marketing consent stands when it is signed (docs/analytics.md, "Campaigns").
 *
 *   punchcard campaign --program deployments/localhost/example.json --segment members --journey five-visits --name spring --points 50
 */
import path from "node:path";
import { PunchcardError } from "../errors.js";
import { writeJsonAtomic } from "../node/deployment/progressFile.js";
import { CAMPAIGN_SEGMENTS, runCampaign } from "../node/ledger/campaign.js";
import { programKey } from "../node/ledger/syncLedger.js";
import { programFromRecord } from "../program.js";
import type { CampaignFile } from "./campaignFile.js";
import { walletClientFor, type CliClient } from "./clients.js";
import { defineCommand, UsageError, PROGRAM_RECORD_OPTION } from "./command.js";
import { readRecordFile } from "./deploy.js";
import { openLedgerViews } from "./ledgerSql.js";

export interface CampaignOptions {
  program: string;
  db: string;
  segment: string;
  journey: string;
  name: string;
  points?: bigint;
  stamps?: bigint;
  /** Days the vouchers stay redeemable. */
  days: number;
  /** The campaign file written (default campaign-<name>.json). */
  out: string;
}

/**
 * Runs `punchcard campaign` with `issuer` (the key holding the issuer role on Rewards): signs the vouchers and writes
 * the campaign file (the wallets reached and their vouchers, no customer id).
 *
 * @example
 * const file = await runCampaignCommand(backend, { program: "deployments/localhost/example.json", db: "ledger.sqlite", segment: "members", journey: "five-visits", name: "spring", points: 50n, days: 30, out: "spring.json" });
 */
export async function runCampaignCommand(
  issuer: CliClient,
  options: CampaignOptions,
  out: (text: string) => void = (t) => process.stdout.write(t),
): Promise<CampaignFile> {
  const record = readRecordFile(options.program);
  const program = programFromRecord(record);
  if (issuer.chain.id !== record.chainId)
    throw new PunchcardError(`The RPC serves chain ${issuer.chain.id}, but the program is on chain ${record.chainId}.`);
  const ledger = await openLedgerViews(options);
  try {
    const now = (await issuer.getBlock({ blockTag: "latest" })).timestamp;
    const result = await runCampaign(issuer, ledger, {
      program,
      segment: options.segment,
      journeyId: options.journey,
      name: options.name,
      ...(options.points !== undefined ? { points: options.points } : {}),
      ...(options.stamps !== undefined ? { stamps: options.stamps } : {}),
      expiry: now + BigInt(options.days) * 86_400n,
    });
    const file: CampaignFile = {
      version: 1,
      name: options.name,
      program: programKey(program),
      journeyId: options.journey,
      segment: options.segment,
      consentBlock: result.consentBlock.toString(),
      signedAt: new Date().toISOString(),
      reached: result.reached,
      leftOut: result.leftOut,
      vouchers: result.vouchers.map(({ order, signature }) => ({
        order: {
          member: order.member,
          journeyId: order.journeyId,
          stamps: order.stamps.toString(),
          points: order.points.toString(),
          expiry: order.expiry.toString(),
          voucherId: order.voucherId,
          referee: order.referee,
        },
        signature,
      })),
    };
    writeJsonAtomic(options.out, file);
    out(
      `campaign ${options.name}: ${result.reached.length} members reached with a voucher of ${options.journey}; ${result.leftOut} of the segment left out (no marketing consent at block ${result.consentBlock}); written to ${options.out}\n`,
    );
    return file;
  } finally {
    await ledger.close();
  }
}

const amount = (flag: string, text: string | undefined): bigint | undefined => {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`--${flag} must be a whole number of smallest units, not "${text}".`);
  return BigInt(text);
};

export const campaignCommand = defineCommand({
  name: "campaign",
  summary: "Turn a segment of the ledger's views into a journey's voucher campaign, for members with marketing consent.",
  usage: "--program <record> --segment <name|sql> --journey <id> --name <name> [--points <n>] [--stamps <n>] [options]",
  options: {
    program: PROGRAM_RECORD_OPTION,
    db: {
      type: "string",
      value: "<file|url>",
      default: "ledger.sqlite",
      description: "the synced ledger: SQLite file or postgres:// URL",
    },
    rpc: {
      type: "string",
      value: "<url>",
      default: "http://127.0.0.1:8545",
      description: "JSON-RPC endpoint of the program's chain",
    },
    segment: {
      type: "string",
      value: "<name|sql>",
      required: true,
      description: `a named segment (${Object.keys(CAMPAIGN_SEGMENTS).join(", ")}) or read-only SQL over the views answering a member column`,
    },
    journey: { type: "string", value: "<id>", required: true, description: "the journey the vouchers pay, e.g. five-visits" },
    name: {
      type: "string",
      value: "<name>",
      required: true,
      description: "the campaign's name (with a member, each voucher's id)",
    },
    points: { type: "string", value: "<n>", description: "points each voucher pays, smallest units (at most the journey's)" },
    stamps: { type: "string", value: "<n>", description: "stamps each voucher mints (at most the journey's)" },
    days: { type: "string", value: "<n>", default: "30", description: "days the vouchers stay redeemable" },
    out: { type: "string", value: "<file>", description: "the campaign file (default campaign-<name>.json)" },
  },
  environment: {
    PUNCHCARD_ISSUER_KEY:
      "0x private key of the voucher issuer (the issuer role on Rewards); without it, the node's first unlocked account",
  },
  notes:
    "Only members in the analysts' views (analytics consent) can be in a segment, and of those only the ones whose marketing purpose stands on the consent registry at the latest block get a voucher. The file lists the wallets reached and their signed vouchers, no customer id; a voucher's id comes from the campaign's name and the wallet, so a campaign run twice pays no one twice. ledger dashboard --campaign <file> shows its redemptions.",
  async run({ values, out }) {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(values.name))
      throw new UsageError(`--name must be 1 to 64 letters, digits, dots, dashes or underscores (got "${values.name}").`);
    if (!/^\d+$/.test(values.days) || Number(values.days) < 1)
      throw new UsageError(`--days must be a whole number of days, at least 1.`);
    const points = amount("points", values.points);
    const stamps = amount("stamps", values.stamps);
    const key = process.env.PUNCHCARD_ISSUER_KEY;
    const issuer = await walletClientFor("campaign", {
      rpc: values.rpc,
      env: { ...process.env, ...(key === undefined ? {} : { PUNCHCARD_DEPLOYER_KEY: key }) },
    });
    await runCampaignCommand(
      issuer,
      {
        program: values.program,
        db: values.db,
        segment: values.segment,
        journey: values.journey,
        name: values.name,
        days: Number(values.days),
        out: values.out ?? path.join(`campaign-${values.name}.json`),
        ...(points !== undefined ? { points } : {}),
        ...(stamps !== undefined ? { stamps } : {}),
      },
      out,
    );
    return 0;
  },
});
