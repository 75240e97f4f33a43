import { marketErrorCatalog } from "../errors/market.js";
import type { Address } from "viem";
import { marketAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import { requireRange } from "../internal/validate.js";
import type { Program, WriteClient } from "../program.js";

export interface SetMinRoyaltyParameters {
  program: Program;
  /** Zero address for the native coin, the program's Points, or an allowed ERC-20. */
  currency: Address;
  /** The least royalty of a trade in `currency`, in its smallest unit (0 for none). */
  minRoyalty: bigint;
}

export type SetMinRoyaltyReturnType = ExecuteResult;

/**
 * Sets the least royalty a trade in a currency pays the brand while the royalty is unskippable (market-only, gifts
 * off). In Points it is also the least royalty of a swap, which the taker pays: under market-only with gifts off,
 * set it (or a Points floor per series with {@link setPriceBounds}) or swaps are refused. Admin only.
 *
 * @example
 * await setMinRoyalty(brand, { program, currency: program.points, minRoyalty: 5n });
 */
export async function setMinRoyalty(
  client: WriteClient,
  { program, currency, minRoyalty }: SetMinRoyaltyParameters,
): Promise<SetMinRoyaltyReturnType> {
  requireRange("minRoyalty", minRoyalty, 0n);
  return execute(
    client,
    {
      address: program.market,
      abi: marketAbi,
      functionName: "setMinRoyalty",
      args: [currency, minRoyalty],
    },
    [marketErrorCatalog],
  );
}
