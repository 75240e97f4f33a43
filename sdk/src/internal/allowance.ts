import { pointsErrorCatalog } from "../errors/points.js";
import { erc20Abi, maxUint256, type Address } from "viem";
import { readContract } from "viem/actions";
import type { WriteClient } from "../program.js";
import { execute } from "./execute.js";

/**
 * Raises the client's allowance of `token` to `spender` by exactly `amount` (unless it is unlimited), so that
 * what this action spends comes on top of what is already allowed: a purchase must not eat the
 * allowance that backs the member's open offers, and two offers must not share one approval. Never more than
 * `amount`, never an unlimited approval (the sum saturates at the largest allowance only if the allowance was
 * already within `amount` of it). Returns the allowance before the raise, or `undefined` if nothing was sent.
 */
export async function ensureAllowance(
  client: WriteClient,
  token: Address,
  spender: Address,
  amount: bigint,
): Promise<bigint | undefined> {
  if (amount === 0n) return undefined;
  const allowance = await readAllowance(client, token, spender);
  if (allowance === maxUint256) return undefined;
  const raised = allowance + amount > maxUint256 ? maxUint256 : allowance + amount;
  await execute(client, { address: token, abi: erc20Abi, functionName: "approve", args: [spender, raised] }, [
    pointsErrorCatalog,
  ]);
  return allowance;
}

/**
 * Runs `action` (a fill that spends `amount` of `token`) with the allowance raised by `amount` for it, and puts the
 * allowance back if the action fails: a purchase that reverts (the stamp was sold a moment before) must not leave
 * the member's wallet allowing more than their open orders need. The undo is best effort (if it fails too, the
 * action's error is what the caller sees) and is skipped if something else changed the allowance meanwhile.
 */
export async function withAllowance<T>(
  client: WriteClient,
  token: Address,
  spender: Address,
  amount: bigint,
  action: () => Promise<T>,
): Promise<T> {
  const before = await ensureAllowance(client, token, spender, amount);
  try {
    return await action();
  } catch (error) {
    if (before !== undefined) {
      const raised = before + amount > maxUint256 ? maxUint256 : before + amount;
      const now = await readAllowance(client, token, spender).catch(() => undefined);
      if (now === raised) {
        await execute(client, { address: token, abi: erc20Abi, functionName: "approve", args: [spender, before] }, [
          pointsErrorCatalog,
        ]).catch(() => undefined);
      }
    }
    throw error;
  }
}

function readAllowance(client: WriteClient, token: Address, spender: Address): Promise<bigint> {
  return readContract(client, {
    address: token,
    abi: erc20Abi,
    functionName: "allowance",
    args: [client.account.address, spender],
  });
}
