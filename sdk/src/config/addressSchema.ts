import { getAddress, isAddress, type Address } from "viem";
import { z } from "zod";

/** A 0x address of 20 bytes in any case, checksummed on the way in: the one address field of every config and record. */
export const addressSchema = z
  .string()
  .refine((value) => isAddress(value, { strict: false }), { message: "must be a 0x address of 20 bytes" })
  .transform((value) => getAddress(value) as Address);
