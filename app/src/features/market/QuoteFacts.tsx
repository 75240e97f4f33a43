import type { QuoteSaleReturnType } from "@punchcard/sdk";

/** How a price splits, from the Market's quote; the member reads it before confirming. */
export function QuoteFacts({
  quote,
  price,
  format,
  brand,
  sellerLabel = "The seller receives",
}: {
  quote: QuoteSaleReturnType;
  price: bigint;
  format: (n: bigint) => string;
  brand: string;
  /** How the seller's share is named: "You receive" when the member is the seller. */
  sellerLabel?: string;
}) {
  return (
    <dl className="facts quote" data-testid="quote">
      <dt>Price</dt>
      <dd>{format(price)}</dd>
      <dt>Royalty to {brand}</dt>
      <dd data-testid="royalty">{format(quote.royaltyAmount)}</dd>
      <dt>Market fee</dt>
      <dd data-testid="fee">{format(quote.fee)}</dd>
      <dt>{sellerLabel}</dt>
      <dd data-testid="seller-amount">{format(quote.sellerAmount)}</dd>
    </dl>
  );
}
