import { marketErrorCatalog } from "../errors/market.js";
import type { Address } from "viem";
import { readContract } from "viem/actions";
import { marketAbi } from "../generated/abis.js";
import { InvalidArgumentError } from "../errors.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import { requireAddress } from "../internal/validate.js";
import type { Program, WriteClient } from "../program.js";

export interface WithdrawPaymentsParameters {
  program: Program;
  to?: Address;
}

export type WithdrawPaymentsReturnType = ExecuteResult & { amount: bigint };

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
  { program, to }: WithdrawPaymentsParameters,
): Promise<WithdrawPaymentsReturnType> {
  const owed = await readContract(client, {
    address: program.market,
    abi: marketAbi,
    functionName: "owed",
    args: [client.account.address],
  });
  if (owed === 0n) {
    throw new InvalidArgumentError("client", `account ${client.account.address} is owed nothing by the Market.`);
  }
  const result = to
    ? await execute(
        client,
        {
          address: program.market,
          abi: marketAbi,
          functionName: "withdrawTo",
          args: [requireAddress("to", to)],
        },
        [marketErrorCatalog],
      )
    : await execute(client, { address: program.market, abi: marketAbi, functionName: "withdraw", args: [] }, [
        marketErrorCatalog,
      ]);
  return { ...result, amount: owed };
}
