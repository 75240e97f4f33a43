import { useTranslation } from "react-i18next";
import type { TradeContext } from "./tradeContext.js";

/** Who sends the action being confirmed, and so who pays its fee. */
export function SponsorNote({ context }: { context: TradeContext }) {
  const { t } = useTranslation();
  return (
    <p className="sponsor">{context.sponsored ? t("market.sponsorSign", { brand: context.brand }) : t("market.selfSign")}</p>
  );
}
