import { z } from "zod";
import type { PurposesChangeMessage } from "../types/consent.js";
import type { GuardianRequestDeclineMessage, GuardianRequestsReadMessage } from "../types/guardianRequest.js";
import { addressSchema, bytes32Schema, signatureSchema, uintSchema } from "./schemas.js";

// A minor's request to their guardian as the program server carries it (POST /guardians/requests, .../list,
// .../decline): the minor's signed PurposesChange, the guardian's signed read and decline, and a request as listed.

const purposesChangeSchema = z.strictObject({
  wallet: addressSchema,
  purposes: uintSchema,
  nonce: uintSchema,
  deadline: uintSchema,
}) satisfies z.ZodType<PurposesChangeMessage>;

/** The body of `POST /guardians/requests`: the minor's signed PurposesChange ({@link signGuardianRequest}). */
export const askGuardianBodySchema = z
  .strictObject({ change: z.strictObject({ message: purposesChangeSchema, signature: signatureSchema }) })
  .meta({ description: "A minor's signed PurposesChange that grants a purpose only their guardian may approve" });

const chainIdSchema = z
  .number()
  .int()
  .positive()
  .meta({ description: "The chain the message was signed for: the server refuses another chain's" });

/** The body of `POST /guardians/requests/list`: the reader's signed GuardianRequestsRead. */
export const guardianRequestsReadBodySchema = z
  .strictObject({
    message: z.strictObject({ reader: addressSchema, deadline: uintSchema }) satisfies z.ZodType<GuardianRequestsReadMessage>,
    signature: signatureSchema,
    chainId: chainIdSchema,
  })
  .meta({ description: "A wallet's signed request to read its guardian requests (EIP-712 GuardianRequestsRead)" });

/** The body of `POST /guardians/requests/decline`: the guardian's signed GuardianRequestDecline. */
export const guardianRequestDeclineBodySchema = z
  .strictObject({
    message: z.strictObject({
      guardian: addressSchema,
      request: bytes32Schema,
    }) satisfies z.ZodType<GuardianRequestDeclineMessage>,
    signature: signatureSchema,
    chainId: chainIdSchema,
  })
  .meta({ description: "A guardian's signed decline of one request (EIP-712 GuardianRequestDecline)" });

/** A request as the server lists it. */
export const guardianRequestSchema = z
  .object({
    id: bytes32Schema.meta({ description: "The EIP-712 hash of the minor's PurposesChange" }),
    wallet: addressSchema.meta({ description: "The minor's wallet" }),
    guardian: addressSchema.meta({ description: "The guardian the on-chain link named when the request was made" }),
    asked: z
      .array(z.enum(["marketing", "partnerSharing"]))
      .meta({ description: "The purposes the guardian is asked to approve" }),
    status: z.enum(["pending", "approved", "declined", "closed", "expired"]).meta({
      description:
        "pending: waiting for the guardian; approved: the chain has it; declined: the guardian said no; closed: the minor's consent changed otherwise since; expired: its deadline passed",
    }),
    createdAt: z.string().meta({ description: "When the server received it (ISO 8601, UTC)" }),
    change: z
      .strictObject({ message: purposesChangeSchema, signature: signatureSchema })
      .meta({ description: "The minor's signed message: a guardian approves with a GuardianApproval over it" }),
  })
  .meta({ description: "A minor's request to their guardian" });
export type GuardianRequest = z.output<typeof guardianRequestSchema>;

/** The answer of `POST /guardians/requests/list`. */
export const guardianRequestsSchema = z
  .object({
    toAnswer: z.array(guardianRequestSchema).meta({ description: "Pending requests of minors whose guardian the reader is" }),
    sent: z.array(guardianRequestSchema).meta({ description: "The requests the reader sent as a minor, newest first" }),
  })
  .meta({ description: "The reader's guardian requests: to answer, and sent" });
export type GuardianRequests = z.output<typeof guardianRequestsSchema>;
