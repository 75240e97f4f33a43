import type { Hex } from "viem";
import { z } from "zod";
import { addressSchema, uintSchema } from "./schemas.js";

// A member's UserOp (ERC-4337, EntryPoint v0.8) as `POST /userops/sponsor` carries it: complete but for the
// paymaster's data and the passkey's signature, which comes after the sponsorship (the member signs the paymaster's
// data too). And the server's answer: its paymaster and the data its sponsor key signed for this UserOp alone.

const isString = (value: unknown): value is string => typeof value === "string";
/** Bytes as a 0x string: the wire and the SDK carry them alike (at most 24 KiB, a contract's size). */
const bytesSchema = z.codec(
  z
    .string()
    .regex(/^0x([0-9a-fA-F]{2}){0,24576}$/, "must be 0x and an even number of hex digits")
    .meta({ description: "Bytes, 0x and hex digits" }),
  z.custom<Hex>(isString),
  { decode: (s) => s as Hex, encode: (h) => h },
);

/** The body of `POST /userops/sponsor`: a UserOp without `paymaster`, `paymasterData` and `signature`. */
export const unsponsoredUserOperationSchema = z
  .strictObject({
    sender: addressSchema.meta({ description: "The member's account (deployed, or deployed by this UserOp)" }),
    nonce: uintSchema.meta({ description: "The EntryPoint's nonce of the sender (key in the top 192 bits)" }),
    factory: addressSchema.optional().meta({ description: "The program's MemberAccountFactory, when the account is new" }),
    factoryData: bytesSchema.optional().meta({ description: "createAccount(qx, qy, recoverer, salt), when the account is new" }),
    callData: bytesSchema.meta({ description: "The account's execute(batch mode, calls): what it does, all or none" }),
    callGasLimit: uintSchema,
    verificationGasLimit: uintSchema,
    preVerificationGas: uintSchema,
    maxFeePerGas: uintSchema,
    maxPriorityFeePerGas: uintSchema,
    paymasterVerificationGasLimit: uintSchema,
    paymasterPostOpGasLimit: uintSchema,
  })
  .meta({ description: "A member's UserOp to sponsor, not yet signed by the passkey" });
export type UnsponsoredUserOperationBody = z.output<typeof unsponsoredUserOperationSchema>;

/** The answer of `POST /userops/sponsor`: the paymaster's part of the UserOp, signed for it alone. */
export const userOperationSponsorshipSchema = z
  .object({
    paymaster: addressSchema.meta({ description: "The brand's BrandPaymaster" }),
    paymasterData: bytesSchema.meta({ description: "validAfter (6) ‖ validUntil (6) ‖ the sponsor key's signature" }),
    validUntil: z.number().meta({ description: "Unix seconds (the chain's clock) after which the paymaster pays nothing" }),
    member: addressSchema,
    remainingToday: z.number().meta({ description: "Sponsored actions (relays and UserOps) the member has left today (UTC)" }),
    bundler: z
      .string()
      .optional()
      .meta({ description: "The ERC-4337 bundler the brand sends sponsored UserOps to, when it names one" }),
  })
  .meta({ description: "The brand's sponsorship of one UserOp: put it in the UserOp, have the passkey sign, send it" });
export type UserOperationSponsorship = z.output<typeof userOperationSponsorshipSchema>;
