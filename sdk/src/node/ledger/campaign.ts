/**
 * From a segment to a voucher campaign, with consent: the wallets a segment's SQL answers over the analysts' views,
 * kept only where the member's marketing purpose stands on the consent registry at the latest block, each paid by a
 * brand-signed voucher of one journey. Node only (it reads the ledger database).
 */
import { getAddress, isAddress, keccak256, stringToHex, zeroAddress, type Address } from "viem";
import { getBlockNumber, readContract } from "viem/actions";
import { PunchcardError } from "../../errors.js";
import { consentRegistryAbi, rewardsAbi } from "../../generated/abis.js";
import { toBytes32 } from "../../internal/validate.js";
import { signVoucher } from "../../brand/signVoucher.js";
import type { Program, WriteClient } from "../../program.js";
import { PURPOSES } from "../../types/consent.js";
import type { SignedVoucher } from "../../types/rewards.js";
import type { ReadOnlyLedger } from "./sql.js";

/** Segments by name: SQL over the analysts' views answering a `member` column. */
export const CAMPAIGN_SEGMENTS: Readonly<Record<string, string>> = {
  /** Every member whose analytics consent stands. */
  members: "SELECT member FROM members",
  /** Members with no movement of points in the 90 days before the newest one: a win-back. */
  "lapsed-90d": `SELECT m.member FROM members m WHERE NOT EXISTS (
    SELECT 1 FROM points_flows f WHERE f.member = m.member
      AND f.block_time > (SELECT max(block_time) FROM points_flows) - 90 * 86400)`,
};

export interface CampaignParameters {
  program: Program;
  /** A name from {@link CAMPAIGN_SEGMENTS}, or SQL over the views answering a `member` column. */
  segment: string;
  /** The journey the vouchers pay, as in the program config ("five-visits") or its bytes32. */
  journeyId: string;
  /** The campaign's name: with a member, it makes each voucher's id, so running a campaign twice pays no one twice. */
  name: string;
  points?: bigint;
  stamps?: bigint;
  /** Unix seconds after which the vouchers cannot be redeemed. */
  expiry: bigint;
}

export interface CampaignReturnType {
  /** The block whose state decided marketing consent. */
  consentBlock: bigint;
  /** Wallets of the segment with marketing consent at `consentBlock`, each with its voucher. */
  reached: Address[];
  vouchers: SignedVoucher[];
  /** Wallets of the segment left out: no marketing consent at `consentBlock`. */
  leftOut: number;
}

/**
 * Turns a segment into a voucher campaign: runs the segment through `ledger` (read-only; only members whose
 * analytics consent stands are in the views), reads each wallet's marketing consent on the registry at the latest
 * block, and signs a voucher of `journeyId` for those who hold it, with `issuer` (the issuer role on Rewards). A
 * journey that does not exist or is closed is refused before anything is signed.
 *
 * @example
 * const { reached, vouchers } = await runCampaign(backend, ledger, { program, segment: "members", journeyId: "five-visits", name: "spring", points: 50n, expiry });
 */
export async function runCampaign(
  issuer: WriteClient,
  ledger: ReadOnlyLedger,
  parameters: CampaignParameters,
): Promise<CampaignReturnType> {
  const { program, segment, name, points = 0n, stamps = 0n, expiry } = parameters;
  const journeyId = toBytes32("journeyId", parameters.journeyId);
  const journey = await readContract(issuer, {
    address: program.rewards,
    abi: rewardsAbi,
    functionName: "journey",
    args: [journeyId],
  });
  if (!journey.active)
    throw new PunchcardError(`The journey "${parameters.journeyId}" does not exist or is closed on this program.`, {
      hint: 'Name a journey of the program\'s config (punchcard ledger sql "SELECT DISTINCT journey_name FROM journey_completions").',
    });

  const { columns, rows } = await ledger.query(CAMPAIGN_SEGMENTS[segment] ?? segment);
  const column = columns.indexOf("member");
  if (column < 0)
    throw new PunchcardError(`The segment answers the columns ${columns.join(", ") || "(none)"}, not a member column.`, {
      hint: `Select the wallets as member, e.g. "SELECT member FROM members", or name a segment: ${Object.keys(CAMPAIGN_SEGMENTS).join(", ")}.`,
    });
  const wallets = [
    ...new Set(rows.map((row) => String(row[column] ?? "")).filter((w) => isAddress(w, { strict: false }) && w !== zeroAddress)),
  ].map((w) => getAddress(w));

  // One block for every wallet: the campaign is what consent said at that moment, not a mix of moments.
  const consentBlock = await getBlockNumber(issuer);
  const marketing = await Promise.all(
    wallets.map((wallet) =>
      readContract(issuer, {
        address: program.consent,
        abi: consentRegistryAbi,
        functionName: "hasConsent",
        args: [wallet, PURPOSES.marketing],
        blockNumber: consentBlock,
      }),
    ),
  );
  const reached = wallets.filter((_, i) => marketing[i]);
  const vouchers: SignedVoucher[] = [];
  for (const member of reached) {
    const voucherId = keccak256(stringToHex(`punchcard campaign ${name}:${member.toLowerCase()}`));
    vouchers.push(await signVoucher(issuer, { program, member, journeyId, points, stamps, expiry, voucherId }));
  }
  return { consentBlock, reached, vouchers, leftOut: wallets.length - reached.length };
}
