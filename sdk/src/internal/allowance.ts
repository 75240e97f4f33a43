import { erc20Abi, type Address } from "viem";
import { readContract } from "viem/actions";
import type { WriteClient } from "../program";
import { execute } from "./execute";

/** Approves `spender` for `amount` of `token` unless the client's account already allows at least that much. */
export async function ensureAllowance(client: WriteClient, token: Address, spender: Address, amount: bigint): Promise<void> {
  if (amount === 0n) return;
  const allowance = await readContract(client, {
    address: token,
    abi: erc20Abi,
    functionName: "allowance",
    args: [client.account.address, spender],
  });
  if (allowance >= amount) return;
  await execute(client, { address: token, abi: erc20Abi, functionName: "approve", args: [spender, amount] });
}
