import type { TradeContext } from "./tradeContext.js";

/** Who sends the action being confirmed, and so who pays its gas. */
export function SponsorNote({ context }: { context: TradeContext }) {
  return context.sponsored ? (
    <p className="sponsor">Sponsored by {context.brand}: you sign, its relayer sends it and pays the gas.</p>
  ) : (
    <p className="sponsor">You send this transaction and pay its gas.</p>
  );
}
