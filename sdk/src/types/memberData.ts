import { z } from "zod";
import { PURPOSES, type Purpose } from "./consent.js";

// The member's data export ("what do you hold about me?"): one JSON document the member can read, validated by
// this schema on the way out. Strict objects, so a field added to the export without a line here (a salt, say)
// fails instead of leaking. Addresses and hashes are 0x text, times ISO 8601, amounts decimal strings.

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x address of 20 bytes");
const hash = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x hash of 32 bytes");
const isoTime = z.iso.datetime();
const purposes = z.array(z.enum(Object.keys(PURPOSES) as [Purpose, ...Purpose[]]));

/** The schema of {@link MemberData}, for a member's tool, a test, or the brand's own checks. */
export const memberDataSchema = z
  .object({
    /** Names this document's shape; a change of shape gets a new version. */
    format: z.literal("punchcard/member-data@1"),
    exportedAt: isoTime,
    program: z.object({ chainId: z.number().int().positive(), consentRegistry: address }).strict(),
    /**
     * What the brand's link store holds about the member. The salt it keeps is not exported: with it, anyone
     * holding this document could tie the on-chain commitment to the customer id, even after an erasure.
     */
    brand: z
      .object({
        customerId: z.string(),
        wallet: address,
        commitment: hash,
        status: z.enum(["pending", "linked"]),
        createdAt: isoTime,
        linkedAt: isoTime.nullable(),
      })
      .strict(),
    /** The link as the chain holds it now; null once unlinked or before the link is mined. */
    onChain: z
      .object({
        commitment: hash,
        purposes,
        minor: z.boolean(),
        /** The minor's guardian; null for an adult. */
        guardian: address.nullable(),
        linkedAt: isoTime,
      })
      .strict()
      .nullable(),
    /** Every change of the wallet's purposes, oldest first, with the purposes granted after it. */
    purposesHistory: z.array(z.object({ blockTime: isoTime, txHash: hash, kind: z.string(), purposes }).strict()).readonly(),
    /**
     * The link's other events, oldest first: linked, a guardian's withdrawal (`purposes` withdrawn, `by` the
     * guardian), a change of guardian (`by` the new guardian), coming of age (`by` the brand), unlinked.
     */
    linkHistory: z
      .array(
        z
          .object({ blockTime: isoTime, txHash: hash, kind: z.string(), purposes: purposes.nullable(), by: address.nullable() })
          .strict(),
      )
      .readonly(),
    /**
     * Every ledger entry of the program about the wallet, oldest first. `role` says which side the member was
     * on; the other side's wallet is left out: it is another member's data (the chain shows it to anyone).
     */
    ledger: z
      .array(
        z
          .object({
            blockTime: isoTime,
            txHash: hash,
            kind: z.string(),
            role: z.enum(["actor", "counterparty"]),
            tokenId: z.string().nullable(),
            amount: z.string().nullable(),
          })
          .strict(),
      )
      .readonly(),
  })
  .strict();

/** Everything the brand and the chain hold about one member, for a data-access request (no salt). */
export type MemberData = z.infer<typeof memberDataSchema>;
