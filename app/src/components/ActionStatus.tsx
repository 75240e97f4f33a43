import { useTranslation } from "react-i18next";
import type { ActionState } from "./useAction.js";
import { formatCount } from "../i18n/format.js";
import { TxLink } from "./TxLink.js";

/** Where an action's state is announced (a live region: screen readers hear each change). */
export function ActionStatus({ state }: { state: ActionState }) {
  const { t } = useTranslation();
  return (
    <div role="status" aria-live="polite" className="action-status">
      {state.status === "pending" && <p className="message pending">{t("action.pending", { label: state.label })}</p>}
      {state.status === "confirmed" && (
        <p className="message confirmed">
          {t("action.confirmed", { label: state.label })}
          {state.result && (
            <>
              {" "}
              {t("action.inBlock", { block: formatCount(state.result.receipt.blockNumber) })} (
              <TxLink hash={state.result.hash}>{t("action.seeTransaction")}</TxLink>)
            </>
          )}
          .
        </p>
      )}
      {state.status === "failed" && (
        <p className="message failed">{t("action.failed", { label: state.label, reason: state.message })}</p>
      )}
    </div>
  );
}
