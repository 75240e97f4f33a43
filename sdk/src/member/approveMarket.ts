import { readContract } from "viem/actions";
import { stampsAbi } from "../abis";
import { execute, type ExecuteResult } from "../internal/execute";
import type { Program, WriteClient } from "../program";

/**
 * Lets the program's Market move the member's stamps when an order of theirs is filled (ERC-721
 * `setApprovalForAll`). Needed once per wallet before listing, accepting offers or swapping; returns
 * null when already approved. The Market moves a stamp only with its holder's signed order.
 *
 * @example
 * await approveMarket(member, { program });
 */
export async function approveMarket(client: WriteClient, { program }: { program: Program }): Promise<ExecuteResult | null> {
  const approved = await readContract(client, {
    address: program.stamps,
    abi: stampsAbi,
    functionName: "isApprovedForAll",
    args: [client.account.address, program.market],
  });
  if (approved) return null;
  return execute(client, { address: program.stamps, abi: stampsAbi, functionName: "setApprovalForAll", args: [program.market, true] });
}
