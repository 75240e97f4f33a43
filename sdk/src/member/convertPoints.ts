import { partnerExchangeErrorCatalog } from "../errors/partnerExchange.js";
import { pointsErrorCatalog } from "../errors/points.js";
import { parseEventLogs, type Address } from "viem";
import { readContract } from "viem/actions";
import { partnerExchangeAbi, pointsAbi } from "../generated/abis.js";
import { PunchcardError } from "../errors.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import { requireAddress, requireRange } from "../internal/validate.js";
import { read } from "../internal/read.js";
import type { WriteClient } from "../program.js";

export interface ConvertPointsParameters {
  exchange: Address;
  /** The agreement. */
  id: bigint;
  /** Points of A to convert: a whole multiple of the agreement's rateA (see quoteExchange). */
  amount: bigint;
}

export interface ConvertPointsReturnType extends ExecuteResult {
  /** Points of A burned. */
  burned: bigint;
  /** Points of B credited. */
  credited: bigint;
}

/**
 * Converts the member's points of program A into points of program B under an agreement both programs accepted: A's
 * are burned and B's credited in one transaction. Approves the exchange for exactly `amount` of A's points first
 * when its allowance is short.
 *
 * @example
 * const { credited } = await convertPoints(member, { exchange, id, amount: 100n });
 */
export async function convertPoints(
  client: WriteClient,
  { exchange, id, amount }: ConvertPointsParameters,
): Promise<ConvertPointsReturnType> {
  requireAddress("exchange", exchange);
  requireRange("id", id, 1n);
  requireRange("amount", amount, 1n);
  const [terms] = await read(
    client,
    {
      address: exchange,
      abi: partnerExchangeAbi,
      functionName: "agreement",
      args: [id],
    },
    [partnerExchangeErrorCatalog],
  );
  const member = client.account.address;
  const allowance = await readContract(client, {
    address: terms.pointsA,
    abi: pointsAbi,
    functionName: "allowance",
    args: [member, exchange],
  });
  if (allowance < amount) {
    await execute(client, { address: terms.pointsA, abi: pointsAbi, functionName: "approve", args: [exchange, amount] }, [
      pointsErrorCatalog,
    ]);
  }
  const result = await execute(
    client,
    {
      address: exchange,
      abi: partnerExchangeAbi,
      functionName: "convert",
      args: [id, amount],
    },
    [partnerExchangeErrorCatalog],
  );
  const [event] = parseEventLogs({ abi: partnerExchangeAbi, eventName: "Converted", logs: result.receipt.logs });
  if (!event) throw new PunchcardError(`Transaction ${result.hash} converted nothing.`);
  return { ...result, burned: event.args.amountA, credited: event.args.amountB };
}
