import { isAddressEqual, zeroAddress, type Address } from "viem";
import { formatAmount } from "../../utils/formatAmount.js";

/** How amounts print: exact smallest units (csv, json) or as people read them (table, report). */
export interface AmountStyle {
  points(amount: bigint): string;
  /** An amount in a trade's currency (zero address: the chain's coin). */
  currency(currency: string, amount: bigint): string;
  /** A currency's name in a figure's name: "native", "points" or its address. */
  currencyName(currency: string): string;
}

/** The units amounts print in: the points' symbol and decimals, and the chain's coin. */
export interface AmountUnits {
  pointsSymbol: string;
  pointsDecimals: number;
  nativeSymbol: string;
  nativeDecimals: number;
}

/** Whole points named "points" and ETH: the units of a deployment record that carries none. */
export const DEFAULT_AMOUNT_UNITS: AmountUnits = {
  pointsSymbol: "points",
  pointsDecimals: 0,
  nativeSymbol: "ETH",
  nativeDecimals: 18,
};

/** Exact smallest units, for machines. */
export const rawAmounts: AmountStyle = {
  points: (amount) => String(amount),
  currency: (_currency, amount) => String(amount),
  currencyName: (currency) => currency,
};

/**
 * Amounts as people read them: "1,380 BEANS", "0.1 ETH". An ERC-20 other than the program's Points prints in
 * its smallest units with its address, since its decimals are not known here.
 *
 * @example
 * amountStyle(program.points, { pointsSymbol: "BEANS", pointsDecimals: 2, nativeSymbol: "ETH", nativeDecimals: 18 }).points(150n); // "1.5 BEANS"
 */
export function amountStyle(points: Address, units: AmountUnits): AmountStyle {
  const isNative = (c: string) => isAddressEqual(c as Address, zeroAddress);
  const isPoints = (c: string) => isAddressEqual(c as Address, points);
  return {
    points: (amount) => formatAmount(amount, units.pointsDecimals, units.pointsSymbol),
    currency: (currency, amount) =>
      isNative(currency)
        ? formatAmount(amount, units.nativeDecimals, units.nativeSymbol)
        : isPoints(currency)
          ? formatAmount(amount, units.pointsDecimals, units.pointsSymbol)
          : `${formatAmount(amount, 0, "units")} of ${currency}`,
    currencyName: (currency) => (isNative(currency) ? units.nativeSymbol : isPoints(currency) ? units.pointsSymbol : currency),
  };
}
