import { rewardsErrorCatalog } from "../errors/rewards.js";
import { rewardsAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import { toBytes32 } from "../internal/validate.js";
import type { Program, WriteClient } from "../program.js";

export interface CancelVoucherParameters {
  program: Program;
  /** The voucher's id (`voucher.order.voucherId`). */
  voucherId: string;
}

export type CancelVoucherReturnType = ExecuteResult;

/**
 * Cancels a voucher the brand signed, before it is redeemed. The client's account needs the issuer role.
 *
 * @example
 * await cancelVoucher(backend, { program, voucherId: voucher.order.voucherId });
 */
export async function cancelVoucher(
  client: WriteClient,
  { program, voucherId }: CancelVoucherParameters,
): Promise<CancelVoucherReturnType> {
  return execute(
    client,
    {
      address: program.rewards,
      abi: rewardsAbi,
      functionName: "cancelVoucher",
      args: [toBytes32("voucherId", voucherId)],
    },
    [rewardsErrorCatalog],
  );
}
