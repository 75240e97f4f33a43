import { erc20Abi, maxUint256, type Address } from "viem";
import { readContract } from "viem/actions";
import type { WriteClient } from "../program.js";
import { execute } from "./execute.js";

/**
 * Raises the client's allowance of `token` to `spender` by `amount` (unless it is unlimited), so that
 * what this action spends comes on top of what is already allowed: a purchase must not eat the
 * allowance that backs the member's open offers, and two offers must not share one approval.
 */
export async function ensureAllowance(client: WriteClient, token: Address, spender: Address, amount: bigint): Promise<void> {
  if (amount === 0n) return;
  const allowance = await readContract(client, {
    address: token,
    abi: erc20Abi,
    functionName: "allowance",
    args: [client.account.address, spender],
  });
  if (allowance === maxUint256) return;
  const raised = allowance + amount > maxUint256 ? maxUint256 : allowance + amount;
  await execute(client, { address: token, abi: erc20Abi, functionName: "approve", args: [spender, raised] });
}
