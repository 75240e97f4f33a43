import { z } from "zod";
import { addressSchema as address } from "./addressSchema.js";
import { InvalidArgumentError } from "../errors.js";
import type { DeploymentRecord } from "../program.js";

/**
 * What `punchcard deploy` writes under deployments/<network>/: enough to find the program again and to
 * tell whether a config is already deployed. Numbers that may exceed 2^53 are decimal strings.
 */
export const deploymentRecordSchema = z.object({
  brand: z.string().min(1, "is required"),
  network: z.string().min(1, "is required"),
  chainId: z.number().int().positive(),
  deployBlock: z.string().regex(/^\d+$/, "must be a block number as a decimal string"),
  configHash: z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x hash of 32 bytes"),
  deployer: address,
  deployedAt: z.string().min(1, "is required"),
  contracts: z.object({
    stamps: address,
    points: address,
    market: address,
    consent: address,
    rewards: address,
    memberAccountFactory: address.optional(),
    brandPaymaster: address.optional(),
  }),
  units: z
    .object({
      pointsSymbol: z.string(),
      pointsDecimals: z.number().int().min(0).max(18),
      nativeSymbol: z.string(),
      nativeDecimals: z.number().int().min(0).max(36),
    })
    .optional(),
}) satisfies z.ZodType<DeploymentRecord, unknown>;

/**
 * Validates a deployment record (from a file or a server); a bad one gets an {@link InvalidArgumentError}
 * naming the field.
 *
 * @example
 * const record = parseDeploymentRecord(JSON.parse(fs.readFileSync("deployments/localhost/example.json", "utf8")));
 */
export function parseDeploymentRecord(input: unknown): DeploymentRecord {
  const parsed = deploymentRecordSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join(".") || "(root)";
  throw new InvalidArgumentError(
    `record.${field}`,
    `is invalid: ${issue?.message ?? "unknown problem"}`,
    "Deploy again, or restore the record punchcard deploy wrote.",
  );
}
