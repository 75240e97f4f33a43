import { stampsAbi } from "../abis";
import { InvalidArgumentError } from "../errors";
import { execute, type ExecuteResult } from "../internal/execute";
import type { Program, WriteClient } from "../program";

/** How tradable stamps move: "open" (any ERC-721 transfer) or "market-only" (only through approved operators). */
export type TransferPolicy = "open" | "market-only";

/** The Stamps contract's enum value of each policy. */
export const transferPolicyValue: Record<TransferPolicy, number> = { open: 0, "market-only": 1 };

export interface SetTransferPolicyParameters {
  program: Program;
  policy: TransferPolicy;
  /** Under "market-only", whether members may still give stamps to each other directly. */
  giftsAllowed?: boolean;
}

/**
 * Sets how tradable stamps may move. Admin only. Soulbound series never move, whatever the policy.
 *
 * @example
 * await setTransferPolicy(brand, { program, policy: "market-only", giftsAllowed: true });
 */
export async function setTransferPolicy(
  client: WriteClient,
  { program, policy, giftsAllowed }: SetTransferPolicyParameters,
): Promise<ExecuteResult[]> {
  const value = transferPolicyValue[policy];
  if (value === undefined) {
    throw new InvalidArgumentError("policy", `must be "open" or "market-only" (got ${JSON.stringify(policy)}).`);
  }
  const results = [
    await execute(client, { address: program.stamps, abi: stampsAbi, functionName: "setTransferPolicy", args: [value] }),
  ];
  if (giftsAllowed !== undefined) {
    results.push(
      await execute(client, {
        address: program.stamps,
        abi: stampsAbi,
        functionName: "setGiftsAllowed",
        args: [giftsAllowed],
      }),
    );
  }
  return results;
}
