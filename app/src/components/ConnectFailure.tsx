import { useTranslation } from "react-i18next";
import { errorSentence } from "../errors.js";

/** Why connecting the wallet failed, in one sentence (a chunk of its own: see App.tsx). */
export function ConnectFailure({ error }: { error: unknown }) {
  const { t } = useTranslation();
  return <p className="message failed">{t("connect.failed", { reason: errorSentence(error) })}</p>;
}
