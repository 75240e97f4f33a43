import { pointsErrorCatalog } from "../errors/points.js";
import { pointsAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import type { Program, WriteClient } from "../program.js";
import type { Redemption, SignedIntent } from "../types/intents.js";

export interface RelayRedeemParameters {
  program: Program;
  /** The member's signed redemption ({@link signRedeem}). */
  redemption: SignedIntent<Redemption>;
}

export type RelayRedeemReturnType = ExecuteResult;

/**
 * Burns a member's points for a reward with their signed redemption, from the brand's relayer account. Simulated
 * first: an expired, replayed or forged redemption, or one beyond the member's balance, comes back as a
 * `ContractRevertError` with a sentence, and nothing is sent.
 *
 * @example
 * await relayRedeem(relayer, { program, redemption: await signRedeem(ada, { program, amount: 100n, rewardId: "free-coffee" }) });
 */
export async function relayRedeem(
  client: WriteClient,
  { program, redemption }: RelayRedeemParameters,
): Promise<RelayRedeemReturnType> {
  const { member, amount, rewardId, deadline } = redemption.message;
  return execute(
    client,
    {
      address: program.points,
      abi: pointsAbi,
      functionName: "redeemBySig",
      args: [member, amount, rewardId, deadline, redemption.signature],
    },
    [pointsErrorCatalog],
  );
}
