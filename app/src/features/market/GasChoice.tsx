import { useId } from "react";
import { useTranslation } from "react-i18next";

/**
 * Who pays the fees. A member with no native coin is sponsored (they only sign, and the brand's relayer sends); a
 * member with coin sends their own transactions, and may tick "Let <brand> send my actions" to use the relayer instead.
 */
export function GasChoice({
  brand,
  nativeSymbol,
  noCoin,
  preferRelay,
  onPreferRelay,
}: {
  brand: string;
  nativeSymbol: string;
  noCoin: boolean;
  preferRelay: boolean;
  onPreferRelay: (preferRelay: boolean) => void;
}) {
  const { t } = useTranslation();
  const relayToggle = useId();
  const sponsored = noCoin || preferRelay;
  return (
    <section aria-labelledby="gas-title" className="card gas">
      <h2 id="gas-title" className="visually-hidden">
        {t("market.gasTitle")}
      </h2>
      {noCoin ? (
        <p data-testid="gas-note">
          <strong>{t("market.sponsoredBy", { brand })}</strong> {t("market.noCoinNote", { brand })}
        </p>
      ) : (
        <>
          <p data-testid="gas-note">
            {sponsored ? (
              <>
                <strong>{t("market.sponsoredBy", { brand })}</strong> {t("market.sponsoredNote", { brand })}
              </>
            ) : (
              t("market.selfNote", { coin: nativeSymbol })
            )}
          </p>
          <p>
            <input id={relayToggle} type="checkbox" checked={preferRelay} onChange={(e) => onPreferRelay(e.target.checked)} />{" "}
            <label htmlFor={relayToggle}>{t("market.letBrand", { brand })}</label>
          </p>
        </>
      )}
    </section>
  );
}
