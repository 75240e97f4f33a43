import { useTranslation } from "react-i18next";
import { useAppConfig } from "../context.js";
import type { ForgetOutcome } from "../sendOrRelay.js";

/**
 * What "Forget me" did, in the member's language: what the brand erased (from the server's answer, as data, so it
 * is told in words of the catalogs), or why its record was not erased here, and what stays public on the chain and
 * why. The server's own paragraph is under "Details".
 */
export function ForgetAnswer({ outcome }: { outcome: ForgetOutcome }) {
  const { t } = useTranslation();
  const { brand } = useAppConfig();
  const { answer, notErased } = outcome;
  const erased = answer?.status === "forgotten" ? answer.erasedRecords : undefined;
  return (
    <section aria-labelledby="forgotten-title" className="card" data-testid="forget-answer">
      <h2 id="forgotten-title">{t("forgotten.title")}</h2>
      {answer?.status === "already_forgotten" && <p>{t("forgotten.already", { brand })}</p>}
      {erased && (erased.link || erased.cardPayments > 0) && (
        <>
          <p>{t("forgotten.erasedIntro", { brand })}</p>
          <ul>
            {erased.link && <li>{t("forgotten.customerId")}</li>}
            {erased.link && <li>{t("forgotten.salt")}</li>}
            {erased.cardPayments > 0 && <li>{t("forgotten.cardPayments", { count: erased.cardPayments })}</li>}
          </ul>
        </>
      )}
      {answer?.unlinkedOnChain && <p>{t("forgotten.unlinkedByBrand", { brand })}</p>}
      {notErased && <p data-testid="not-erased">{t(`forgotten.notErased.${notErased}`, { brand })}</p>}
      <h3>{t("forgotten.remainsTitle")}</h3>
      <ul>
        <li>{t("forgotten.remainsConsent")}</li>
        <li>{t("forgotten.remainsActivity")}</li>
      </ul>
      {answer && (
        <details>
          <summary>{t("details")}</summary>
          <p>{answer.message}</p>
        </details>
      )}
    </section>
  );
}
