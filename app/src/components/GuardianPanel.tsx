import { getConsentLink, GUARDIAN_PURPOSES, type GuardianPurpose } from "@punchcard/sdk";
import { useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { isAddress, isAddressEqual, type Address } from "viem";
import { usePublicClient } from "wagmi";
import { useAppConfig } from "../context.js";
import { useMemberWriter } from "../passkey/useMemberWriter.js";
import { sendOrRelay } from "../sendOrRelay.js";
import { ActionStatus } from "./ActionStatus.js";
import { QueryError } from "./QueryError.js";
import { useAction } from "./useAction.js";
import { useProgramServer } from "./useProgramServer.js";
import { purposesText, purposeText } from "../words.js";

/**
 * A minor's guardian, on their own Privacy page: look up the minor's wallet, see its guardian status, and withdraw
 * marketing or partner sharing. With a program server the guardian only signs and the brand's relayer sends it
 * (sponsored); without one, the guardian sends the transaction. A passkey guardian's account calls the registry in a
 * UserOp the brand sponsors.
 */
export function GuardianPanel({ member }: { member: Address }) {
  const app = useAppConfig();
  const { t } = useTranslation();
  const { program } = app;
  const title = (purpose: GuardianPurpose) => purposeText(purpose).title.toLocaleLowerCase();
  const client = usePublicClient();
  const { writer, passkey } = useMemberWriter();
  const server = useProgramServer();
  const inputId = useId();
  const [text, setText] = useState("");
  const [ward, setWard] = useState<Address | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const link = useQuery({
    queryKey: ["link", program.consent, ward],
    enabled: Boolean(client && ward),
    queryFn: () => getConsentLink(client!, { program, wallet: ward! }),
  });
  const withdraw = useAction(
    (purpose: GuardianPurpose) => {
      const label = t("guardianPanel.withdraw", { purpose: title(purpose) });
      return server ? t("action.sponsored", { label, brand: app.brand }) : label;
    },
    async (purpose: GuardianPurpose) => {
      if (!writer || !ward) throw new Error(t("guardianRequests.notReady"));
      // Sponsored whenever there is a program server: a guardian need not hold the chain's coin.
      const sender = { program, client: client!, writer, relayer: server, passkey };
      return sendOrRelay("guardianWithdrawal", sender, { ward, purposes: [purpose] });
    },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = text.trim();
    if (!isAddress(value)) return setProblem(t("guardianPanel.notAddress", { value }));
    setProblem(undefined);
    withdraw.reset();
    setWard(value);
  };
  const current = link.data;
  const isGuardian = current && isAddressEqual(current.guardian, member);
  return (
    <section aria-labelledby="guardian-title">
      <h2 id="guardian-title">{t("guardianPanel.title")}</h2>
      <p>{t("guardianPanel.intro")}</p>
      <form className="card form" onSubmit={submit}>
        <p>
          <label htmlFor={inputId}>{t("guardianPanel.wallet")}</label>
          <input id={inputId} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
        </p>
        <button type="submit">{t("guardianPanel.lookUp")}</button>
        {problem && (
          <p role="alert" className="message failed">
            {problem}
          </p>
        )}
      </form>
      {ward && link.isPending && <p role="status">{t("guardianPanel.reading")}</p>}
      {ward && link.isError && <QueryError what="the minor's consent" error={link.error} retry={() => void link.refetch()} />}
      {ward && link.isSuccess && (
        <div className="card" data-testid="ward">
          {!current ? (
            <p>{t("guardianPanel.notLinked")}</p>
          ) : !isGuardian ? (
            <p>{t("guardianPanel.notGuardian")}</p>
          ) : (
            <>
              <p>
                {t(current.minor ? "guardianPanel.minor" : "guardianPanel.grownUp", {
                  purposes: purposesText(current.purposes),
                })}
              </p>
              {GUARDIAN_PURPOSES.filter((p) => current.purposes.includes(p)).map((purpose) => (
                <button key={purpose} type="button" disabled={withdraw.busy} onClick={() => withdraw.run(purpose)}>
                  {t("guardianPanel.withdraw", { purpose: title(purpose) })}
                </button>
              ))}
              {server && <p className="sponsor">{t("guardianRequests.sponsor", { brand: app.brand })}</p>}
            </>
          )}
        </div>
      )}
      <ActionStatus state={withdraw.state} />
    </section>
  );
}
