import type { Address } from "viem";
import { readContract } from "viem/actions";
import { marketAbi } from "../abis";
import { InvalidArgumentError } from "../errors";
import { execute, type ExecuteResult } from "../internal/execute";
import { requireAddress } from "../internal/validate";
import type { Program, WriteClient } from "../program";

/**
 * Withdraws native coin the Market credited to the caller: payments it could not push, e.g. to a
 * contract wallet (a multisig treasury) whose `receive` needs more gas or refuses coin. With `to`, the
 * coin goes to another address, for wallets that cannot receive it at all.
 *
 * @example
 * await withdrawPayments(treasurySafe, { program, to: treasuryColdWallet });
 */
export async function withdrawPayments(
  client: WriteClient,
  { program, to }: { program: Program; to?: Address },
): Promise<ExecuteResult & { amount: bigint }> {
  const owed = await readContract(client, { address: program.market, abi: marketAbi, functionName: "owed", args: [client.account.address] });
  if (owed === 0n) {
    throw new InvalidArgumentError("client", `account ${client.account.address} is owed nothing by the Market.`);
  }
  const result = to
    ? await execute(client, { address: program.market, abi: marketAbi, functionName: "withdrawTo", args: [requireAddress("to", to)] })
    : await execute(client, { address: program.market, abi: marketAbi, functionName: "withdraw", args: [] });
  return { ...result, amount: owed };
}
