import { formatUnits } from "viem";

/**
 * An amount as people read it: smallest units turned into whole ones by `decimals`, thousands
 * grouped, and the unit after it. Exact for any bigint (no float on the way).
 *
 * @example
 * formatAmount(100000000000000000n, 18, "ETH"); // "0.1 ETH"
 * formatAmount(1380n, 0, "BEANS");            // "1,380 BEANS"
 */
export function formatAmount(amount: bigint, decimals: number, unit: string): string {
  const [whole = "0", fraction] = formatUnits(amount, decimals).split(".");
  const negative = whole.startsWith("-");
  const digits = negative ? whole.slice(1) : whole;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${grouped}${fraction ? `.${fraction}` : ""}${unit ? ` ${unit}` : ""}`;
}
