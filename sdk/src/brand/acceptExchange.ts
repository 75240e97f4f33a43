import { partnerExchangeErrorCatalog } from "../errors/partnerExchange.js";
import type { Address } from "viem";
import { partnerExchangeAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import { requireAddress, requireRange } from "../internal/validate.js";
import { read } from "../internal/read.js";
import type { Program, WriteClient } from "../program.js";
import { enableSide, sideOf } from "./proposeExchange.js";

export interface AcceptExchangeParameters {
  exchange: Address;
  /** The accepting admin's own program: the side that has not accepted yet. */
  program: Program;
  /** The agreement's id (from proposeExchange). */
  id: bigint;
}

export type AcceptExchangeReturnType = ExecuteResult;

/**
 * Accepts a partner's proposed exchange as the admin of the other program: with both acceptances it takes effect.
 * Read the terms first (getExchange): accepting agrees to them. Also lets the exchange act on this program's side.
 *
 * @example
 * await acceptExchange(partnerBrand, { exchange, program: partnerProgram, id });
 */
export async function acceptExchange(
  client: WriteClient,
  { exchange, program, id }: AcceptExchangeParameters,
): Promise<AcceptExchangeReturnType> {
  requireAddress("exchange", exchange);
  requireRange("id", id, 1n);
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
  const side = sideOf(program, terms);
  const result = await execute(client, { address: exchange, abi: partnerExchangeAbi, functionName: "accept", args: [id] }, [
    partnerExchangeErrorCatalog,
  ]);
  await enableSide(client, exchange, program, side);
  return result;
}
