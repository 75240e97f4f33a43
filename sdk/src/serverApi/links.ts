import { z } from "zod";
import type { ForgetLinkMessage } from "../types/forgetLink.js";
import { addressSchema, signatureSchema, uintSchema } from "./schemas.js";

// "Forget me" as `POST /links/forget` carries it: the wallet's signed request, and the server's account of what it
// erased and what stays public on the chain.

/** The body of `POST /links/forget`: what {@link signForgetRequest} returns. */
export const forgetLinkBodySchema = z
  .strictObject({
    message: z.strictObject({
      wallet: addressSchema,
      deadline: uintSchema.meta({ description: "Unix seconds (the chain's clock) after which the request is refused" }),
    }) satisfies z.ZodType<ForgetLinkMessage>,
    signature: signatureSchema,
    chainId: z
      .number()
      .int()
      .positive()
      .meta({ description: "The chain the request was signed for: the server refuses another chain's" }),
  })
  .meta({ description: "A wallet's signed request that the brand erase its link record (EIP-712 ForgetLink)" });

/** The answer of `POST /links/forget`. */
export const forgetLinkAnswerSchema = z
  .object({
    status: z.enum(["forgotten", "already_forgotten"]).meta({
      description: "forgotten: erased now; already_forgotten: this very request was carried out before, nothing changed",
    }),
    wallet: addressSchema,
    erased: z.array(z.string()).meta({ description: "What the brand's link store erased, in words (empty: nothing now)" }),
    erasedRecords: z
      .strictObject({
        link: z.boolean().meta({ description: "The link record (customer id, wallet, salt) was erased now" }),
        cardPayments: z.number().int().nonnegative().meta({ description: "Card payments whose ids and wallet were erased now" }),
      })
      .meta({ description: "What was erased, as data, for a wallet that tells it in the member's language" }),
    unlinkedOnChain: z
      .boolean()
      .meta({ description: "Whether the brand also unlinked the wallet in the consent registry now (it paid the gas)" }),
    remainsOnChain: z.array(z.string()).meta({ description: "What stays public on the chain, and why" }),
    message: z.string().meta({ description: "All of it in one paragraph for the member" }),
  })
  .meta({ description: "What was erased, and what remains public on the chain and why" });
export type ForgetLinkAnswer = z.output<typeof forgetLinkAnswerSchema>;

/** The body of `POST /links/confirm`: the wallet whose link the brand should read from the chain. */
export const confirmLinkBodySchema = z
  .strictObject({ wallet: addressSchema })
  .meta({ description: "The wallet that linked itself from the brand's link request" });

/** The answer of `POST /links/confirm`. */
export const confirmLinkAnswerSchema = z
  .object({
    wallet: addressSchema,
    status: z.literal("linked").meta({ description: "The brand's link store marks the wallet's link done" }),
    linkedAt: z.string().meta({ description: "When the chain linked it (ISO 8601, the block's time)" }),
  })
  .meta({ description: "The link request is done: the chain links the wallet with the commitment the brand prepared" });
export type ConfirmLinkAnswer = z.output<typeof confirmLinkAnswerSchema>;
