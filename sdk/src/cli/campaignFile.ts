/**
 * The file `punchcard campaign` writes: whom a voucher campaign reached (wallets only, no customer id) and the
 * vouchers it signed for them; `ledger dashboard --campaign <file>` reads it to count the campaign's redemptions.
 */
import fs from "node:fs";
import { z } from "zod";
import { PunchcardError } from "../errors.js";
import type { DashboardCampaign } from "../node/ledger/dashboard.js";

const hex = z.string().regex(/^0x[0-9a-fA-F]*$/);

/** The campaign file's schema (version 1). */
export const campaignFileSchema = z.object({
  version: z.literal(1),
  name: z.string().min(1),
  /** The program's ledger key, `<chain id>:<Stamps address>`. */
  program: z.string(),
  journeyId: z.string(),
  segment: z.string(),
  /** The block whose state decided marketing consent, and when the vouchers were signed. */
  consentBlock: z.string(),
  signedAt: z.string(),
  /** The wallets the campaign reached: in the segment, with marketing consent at `consentBlock`. */
  reached: z.array(hex),
  /** How many wallets of the segment were left out for want of marketing consent. */
  leftOut: z.number().int().nonnegative(),
  vouchers: z.array(
    z.object({
      order: z.object({
        member: hex,
        journeyId: hex,
        stamps: z.string(),
        points: z.string(),
        expiry: z.string(),
        voucherId: hex,
        referee: hex,
      }),
      signature: hex,
    }),
  ),
});

export type CampaignFile = z.infer<typeof campaignFileSchema>;

/**
 * Reads a campaign file for the dashboard: its name, journey, members reached and voucher ids. A file that is not
 * one is refused, naming it.
 *
 * @example
 * const campaign = readCampaignFile("campaigns/spring.json");
 */
export function readCampaignFile(file: string): DashboardCampaign {
  if (!fs.existsSync(file)) throw new PunchcardError(`Campaign file ${file} does not exist.`);
  let parsed: CampaignFile;
  try {
    parsed = campaignFileSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
  } catch (error) {
    throw new PunchcardError(`${file} is not a campaign file written by punchcard campaign.`, {
      details: (error as Error).message,
    });
  }
  return {
    name: parsed.name,
    journeyId: parsed.journeyId,
    reached: parsed.reached.length,
    voucherIds: parsed.vouchers.map((v) => v.order.voucherId as `0x${string}`),
  };
}
