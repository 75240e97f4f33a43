import { stampsErrorCatalog } from "../errors/stamps.js";
import { readContract } from "viem/actions";
import { stampsAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import type { Program, WriteClient } from "../program.js";

export interface ApproveMarketParameters {
  program: Program;
}

export type ApproveMarketReturnType = ExecuteResult | null;

/**
 * Lets the program's Market move the member's stamps when an order of theirs is filled (ERC-721
 * `setApprovalForAll`). Needed once per wallet before listing, accepting offers or swapping; returns
 * null when already approved. The Market moves a stamp only with its holder's signed order.
 *
 * @example
 * await approveMarket(member, { program });
 */
export async function approveMarket(client: WriteClient, { program }: ApproveMarketParameters): Promise<ApproveMarketReturnType> {
  const approved = await readContract(client, {
    address: program.stamps,
    abi: stampsAbi,
    functionName: "isApprovedForAll",
    args: [client.account.address, program.market],
  });
  if (approved) return null;
  return execute(
    client,
    {
      address: program.stamps,
      abi: stampsAbi,
      functionName: "setApprovalForAll",
      args: [program.market, true],
    },
    [stampsErrorCatalog],
  );
}
