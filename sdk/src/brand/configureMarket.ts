import { marketErrorCatalog } from "../errors/market.js";
import type { Address } from "viem";
import { marketAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import { requireAddress, requireRange } from "../internal/validate.js";
import type { Program, WriteClient } from "../program.js";
import { MAX_MARKET_FEE_BPS } from "../constants.js";

export interface ConfigureMarketParameters {
  program: Program;
  /** Market fee: `feeBps` of each sale's price to `recipient` (at most 500 bps). */
  fee?: { recipient: Address; feeBps: bigint };
  /** ERC-20s to allow (true) or forbid (false) as order currencies. */
  currencies?: Array<{ currency: Address; allowed: boolean }>;
  /** Points the taker of a swap pays the brand. */
  swapFee?: bigint;
}

export type ConfigureMarketReturnType = ExecuteResult[];

/**
 * Changes the Market's settings. Admin only; every change is an event the ledger shows.
 *
 * @example
 * await configureMarket(brand, { program, fee: { recipient: treasury, feeBps: 100n }, currencies: [{ currency: usdc, allowed: true }] });
 */
export async function configureMarket(
  client: WriteClient,
  { program, fee, currencies = [], swapFee }: ConfigureMarketParameters,
): Promise<ConfigureMarketReturnType> {
  if (fee) {
    requireAddress("fee.recipient", fee.recipient);
    requireRange("fee.feeBps", fee.feeBps, 0n, MAX_MARKET_FEE_BPS, " basis points");
  }
  for (const [i, { currency }] of currencies.entries()) requireAddress(`currencies[${i}].currency`, currency);
  if (swapFee !== undefined) requireRange("swapFee", swapFee, 0n);
  const market = { address: program.market, abi: marketAbi } as const;
  const results: ExecuteResult[] = [];
  if (fee)
    results.push(
      await execute(client, { ...market, functionName: "setFee", args: [fee.recipient, fee.feeBps] }, [marketErrorCatalog]),
    );
  for (const { currency, allowed } of currencies) {
    results.push(
      await execute(client, { ...market, functionName: "setCurrencyAllowed", args: [currency, allowed] }, [marketErrorCatalog]),
    );
  }
  if (swapFee !== undefined)
    results.push(await execute(client, { ...market, functionName: "setSwapFee", args: [swapFee] }, [marketErrorCatalog]));
  return results;
}
