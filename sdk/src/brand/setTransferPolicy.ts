import { stampsErrorCatalog } from "../errors/stamps.js";
import { stampsAbi } from "../generated/abis.js";
import { InvalidArgumentError } from "../errors.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import type { Program, WriteClient } from "../program.js";
import { transferPolicyValue, type TransferPolicy } from "../types/transferPolicy.js";

export interface SetTransferPolicyParameters {
  program: Program;
  policy: TransferPolicy;
  /** Under "market-only", whether members may still give stamps to each other directly. */
  giftsAllowed?: boolean;
}

export type SetTransferPolicyReturnType = ExecuteResult[];

/**
 * Sets how tradable stamps may move. Admin only. Soulbound series never move, whatever the policy.
 *
 * @example
 * await setTransferPolicy(brand, { program, policy: "market-only", giftsAllowed: true });
 */
export async function setTransferPolicy(
  client: WriteClient,
  { program, policy, giftsAllowed }: SetTransferPolicyParameters,
): Promise<SetTransferPolicyReturnType> {
  const value = (transferPolicyValue as Record<string, number>)[policy];
  if (value === undefined) {
    throw new InvalidArgumentError("policy", `must be "open" or "market-only" (got ${JSON.stringify(policy)}).`);
  }
  const results = [
    await execute(client, { address: program.stamps, abi: stampsAbi, functionName: "setTransferPolicy", args: [value] }, [
      stampsErrorCatalog,
    ]),
  ];
  if (giftsAllowed !== undefined) {
    results.push(
      await execute(
        client,
        {
          address: program.stamps,
          abi: stampsAbi,
          functionName: "setGiftsAllowed",
          args: [giftsAllowed],
        },
        [stampsErrorCatalog],
      ),
    );
  }
  return results;
}
