import type { QuoteSaleReturnType } from "@punchcard/sdk";
import { useTranslation } from "react-i18next";

/** How a price splits, from the Market's quote; the member reads it before confirming. */
export function QuoteFacts({
  quote,
  price,
  format,
  brand,
  seller = "other",
}: {
  quote: QuoteSaleReturnType;
  price: bigint;
  format: (n: bigint) => string;
  brand: string;
  /** Who receives the seller's share: "you" when the member is the seller. */
  seller?: "you" | "other";
}) {
  const { t } = useTranslation();
  return (
    <dl className="facts quote" data-testid="quote">
      <dt>{t("market.price")}</dt>
      <dd>{format(price)}</dd>
      <dt>{t("market.royaltyTo", { brand })}</dt>
      <dd data-testid="royalty">{format(quote.royaltyAmount)}</dd>
      <dt>{t("market.fee")}</dt>
      <dd data-testid="fee">{format(quote.fee)}</dd>
      <dt>{seller === "you" ? t("market.youGet") : t("market.sellerGets")}</dt>
      <dd data-testid="seller-amount">{format(quote.sellerAmount)}</dd>
    </dl>
  );
}
