import { useTranslation } from "react-i18next";
import { memberNumber, type PasskeyCard } from "./cardStore.js";

/** The member's card as they see it: the brand, the name they chose (or "Member") and a short number, never hex. */
export function MemberCard({ card, brand }: { card: PasskeyCard; brand: string }) {
  const { t } = useTranslation();
  return (
    <section className="member-card" aria-label={t("card.yourCard", { brand })}>
      <p className="member-card-brand">{brand}</p>
      <p className="member-card-name">{card.name || t("card.member")}</p>
      <p className="member-card-number">{t("card.number", { number: memberNumber(card.address) })}</p>
    </section>
  );
}
