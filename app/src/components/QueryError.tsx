import { useTranslation } from "react-i18next";
import { errorSentence } from "../errors.js";

/** A read that failed: the sentence and a way to try again; the page shows nothing half-read. */
export function QueryError({ what, error, retry }: { what: string; error: unknown; retry: () => void }) {
  const { t } = useTranslation();
  return (
    <div role="alert" className="message failed">
      <p>{t("query.failed", { what, reason: errorSentence(error) })}</p>
      <button type="button" onClick={retry}>
        {t("query.retry")}
      </button>
    </div>
  );
}
