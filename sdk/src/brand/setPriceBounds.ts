import { marketErrorCatalog } from "../errors/market.js";
import type { Address } from "viem";
import { marketAbi } from "../generated/abis.js";
import { InvalidArgumentError } from "../errors.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import { requireRange } from "../internal/validate.js";
import type { Program, WriteClient } from "../program.js";

/** Bounds are stored in 128 bits each. */
const MAX_BOUND = 2n ** 128n - 1n;

export interface SetPriceBoundsParameters {
  program: Program;
  seriesId: bigint;
  /** Zero address for the native coin, the program's Points, or an allowed ERC-20. */
  currency: Address;
  /**
   * Lowest price of a fill while the royalty is unskippable (market-only, gifts off); 0 for none (a price of 0
   * never fills then anyway). The Points floor also sets what a stamp of the series pays in a swap's royalty.
   */
  floor: bigint;
  /** Highest price of any fill; 0 for none. */
  ceiling: bigint;
}

export type SetPriceBoundsReturnType = ExecuteResult;

/**
 * Sets the price floor and ceiling of a series in one currency. Admin only. Signed orders are judged by the bounds
 * in force when they fill.
 *
 * @example
 * await setPriceBounds(brand, { program, seriesId: 1n, currency: program.points, floor: 100n, ceiling: 0n });
 */
export async function setPriceBounds(
  client: WriteClient,
  { program, seriesId, currency, floor, ceiling }: SetPriceBoundsParameters,
): Promise<SetPriceBoundsReturnType> {
  requireRange("floor", floor, 0n, MAX_BOUND);
  requireRange("ceiling", ceiling, 0n, MAX_BOUND);
  if (ceiling !== 0n && floor > ceiling) {
    throw new InvalidArgumentError(
      "floor",
      `${floor} is above the ceiling ${ceiling}: nothing could fill.`,
      "Use 0 for no ceiling.",
    );
  }
  return execute(
    client,
    {
      address: program.market,
      abi: marketAbi,
      functionName: "setPriceBounds",
      args: [seriesId, currency, floor, ceiling],
    },
    [marketErrorCatalog],
  );
}
