import { rewardsErrorCatalog } from "../errors/rewards.js";
import { parseEventLogs, type Address, type Hex } from "viem";
import { rewardsAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import type { Program, WriteClient } from "../program.js";
import type { SignedVoucher } from "../types/rewards.js";

export interface RedeemVoucherParameters {
  program: Program;
  /** The voucher the brand signed ({@link signVoucher}). */
  voucher: SignedVoucher;
}

export interface RedeemVoucherReturnType extends ExecuteResult {
  /** The completion recorded on-chain: the member paid, stamps minted, points (and status points) earned. */
  completion: { journeyId: Hex; member: Address; voucherId: Hex; stamps: bigint; points: bigint; referee: Address };
}

/**
 * Redeems a journey voucher: mints its stamps and rewards its points to the voucher's member. The member may send it,
 * or a relayer paying the gas: either way only the member is paid.
 *
 * @example
 * const { completion } = await redeemVoucher(alice, { program, voucher });
 */
export async function redeemVoucher(
  client: WriteClient,
  { program, voucher }: RedeemVoucherParameters,
): Promise<RedeemVoucherReturnType> {
  const result = await execute(
    client,
    {
      address: program.rewards,
      abi: rewardsAbi,
      functionName: "redeem",
      args: [voucher.order, voucher.signature],
    },
    [rewardsErrorCatalog],
  );
  const [log] = parseEventLogs({ abi: rewardsAbi, eventName: "RewardsJourneyCompleted", logs: result.receipt.logs });
  return { ...result, completion: log!.args };
}
