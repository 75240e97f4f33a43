import { formatUnits } from "viem";
import { activeLanguage } from "./i18n.js";

/**
 * An amount as people of the active language read it: smallest units turned into whole ones by `decimals` (exact,
 * no float on the way), grouped and written with the language's digits by `Intl`, and the unit after it
 * ("1,380 BEANS"; in Persian "۱٬۳۸۰ BEANS").
 */
export function formatAmountIn(amount: bigint, decimals: number, unit: string, locale: string = activeLanguage()): string {
  const negative = amount < 0n;
  const [whole = "0", fraction = ""] = formatUnits(negative ? -amount : amount, decimals).split(".");
  const grouped = new Intl.NumberFormat(locale).format(BigInt(whole));
  const digit = new Intl.NumberFormat(locale, { useGrouping: false });
  const point = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === "decimal")?.value ?? ".";
  const fractionText = [...fraction].map((d) => digit.format(Number(d))).join("");
  const sign = negative
    ? (new Intl.NumberFormat(locale).formatToParts(-1).find((p) => p.type === "minusSign")?.value ?? "-")
    : "";
  return `${sign}${grouped}${fractionText ? `${point}${fractionText}` : ""}${unit ? ` ${unit}` : ""}`;
}

/** A whole number in the active language's digits and grouping ("#1,000" reads "#۱٬۰۰۰" in Persian). */
export function formatCount(n: bigint | number, locale: string = activeLanguage()): string {
  return new Intl.NumberFormat(locale).format(n);
}

/**
 * A price in the currency's minor unit (cents) as people of the active language write it, by `Intl` ("€9.99",
 * "9,99 €", "‎€۹٫۹۹"): exact, the minor units turned into a decimal string, never a float.
 */
export function formatPrice(amount: bigint, currency: string, locale: string = activeLanguage()): string {
  const format = new Intl.NumberFormat(locale, { style: "currency", currency: currency.toUpperCase() });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  // Intl formats a decimal string exactly (ECMA-402 "Intl.NumberFormat v3"); TypeScript's lib types it as a number.
  return format.format(formatUnits(amount, digits) as unknown as number);
}
