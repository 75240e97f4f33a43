import { getConsentLink, GUARDIAN_PURPOSES, PURPOSES, type Purpose } from "@punchcard/sdk";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { Address } from "viem";
import { usePublicClient } from "wagmi";
import { ActionStatus } from "../components/ActionStatus.js";
import { AskGuardian } from "../components/AskGuardian.js";
import { GuardianRequests } from "../components/GuardianRequests.js";
import { ForgetAnswer } from "../components/ForgetAnswer.js";
import { GuardianPanel } from "../components/GuardianPanel.js";
import { LocalTime } from "../components/LocalTime.js";
import { QueryError } from "../components/QueryError.js";
import { useAction } from "../components/useAction.js";
import { useProgramServer } from "../components/useProgramServer.js";
import { useAppConfig } from "../context.js";
import { downloadJson, exportWalletData } from "../exportData.js";
import { downloadText, readableWalletData } from "../readableExport.js";
import { useMemberWriter } from "../passkey/useMemberWriter.js";
import { sendOrRelay, type ForgetOutcome, type Sender } from "../sendOrRelay.js";
import { personName, purposeText, purposesText } from "../words.js";
import { useTranslation } from "react-i18next";

const ZERO = "0x0000000000000000000000000000000000000000";

/** The wallet's link, each purpose on/off with one click, guardian status, data export and "forget me". */
export function Privacy({ member }: { member: Address }) {
  const app = useAppConfig();
  const { t } = useTranslation();
  const { program } = app;
  const client = usePublicClient();
  const wallet = useMemberWriter();
  const server = useProgramServer();
  const link = useQuery({
    queryKey: ["link", program.consent, member],
    enabled: Boolean(client),
    queryFn: async () => {
      const [current, native] = await Promise.all([
        getConsentLink(client!, { program, wallet: member }),
        client!.getBalance({ address: member }),
      ]);
      return { current, native };
    },
  });
  // A member with no native coin only signs: the brand's relayer sends the change and pays its gas, as for trades.
  // A passkey member's account acts through UserOps the brand sponsors (sendOrRelay).
  const sponsored = Boolean(server) && (Boolean(wallet.passkey) || link.data?.native === 0n);
  const sender = (): Sender => {
    if (!wallet.writer) throw new Error("The wallet is not ready yet: try again in a moment.");
    return { program, client: client!, writer: wallet.writer, relayer: sponsored ? server : undefined, passkey: wallet.passkey };
  };
  const by = (label: string) => (sponsored ? t("action.sponsored", { label, brand: app.brand }) : label);
  const consent = useAction(
    ({ purpose, on }: { purpose: Purpose; on: boolean; purposes: Purpose[] }) =>
      by(t(on ? "privacy.allow" : "privacy.stop", { purpose: purposeText(purpose).title.toLocaleLowerCase() })),
    ({ purposes }) => sendOrRelay("consentChange", sender(), { purposes }),
  );
  // With a program server the brand erases its record and unlinks on-chain itself; its answer is shown below.
  const [forgotten, setForgotten] = useState<ForgetOutcome | undefined>();
  const forget = useAction(
    () => by(t("privacy.forget")),
    async () => {
      setForgotten(undefined);
      const outcome = await sendOrRelay("forget", sender(), { brand: server });
      setForgotten(outcome);
      return outcome.onChain;
    },
  );
  const exporting = useAction(
    () => t("privacy.exportJson"),
    async () => {
      downloadJson(await exportWalletData(client!, program, member), `punchcard-data-${member}.json`);
      return undefined;
    },
  );
  const reading = useAction(
    () => t("privacy.exportReadable"),
    async () => {
      downloadText(await readableWalletData(client!, app, member), `${app.brand} - my data.txt`);
      return undefined;
    },
  );
  const [confirmingForget, setConfirmingForget] = useState(false);
  const busy = consent.busy || forget.busy;

  if (link.isPending) return <p role="status">{t("privacy.reading")}</p>;
  if (link.isError) return <QueryError what="your consent" error={link.error} retry={() => void link.refetch()} />;
  const current = link.data.current;
  const who = (address: Address) => personName(app.testAccounts, address);

  return (
    <>
      <h1>{t("privacy.title")}</h1>
      <section aria-labelledby="link-title" className="card">
        <h2 id="link-title">{t("privacy.linkTitle")}</h2>
        {current ? (
          <dl className="facts">
            <dt>{t("privacy.status")}</dt>
            <dd data-testid="link-status">
              {t("privacy.linkedSince")} <LocalTime seconds={current.linkedAt} />
            </dd>
            <dt>{t("privacy.record")}</dt>
            <dd>
              {t("privacy.recordText", { brand: app.brand })}
              <details>
                <summary>{t("details")}</summary>
                <span className="hash">{current.commitment}</span>
              </details>
            </dd>
            <dt>{t("privacy.guardian")}</dt>
            <dd data-testid="guardian">
              {current.minor
                ? t("privacy.minor", { guardian: who(current.guardian), purposes: purposesText(GUARDIAN_PURPOSES) })
                : current.guardian !== ZERO
                  ? t("privacy.guardianIs", { guardian: who(current.guardian) })
                  : t("privacy.noGuardian")}
            </dd>
          </dl>
        ) : (
          <p data-testid="link-status">{t("privacy.notLinked")}</p>
        )}
      </section>

      {current && (
        <section aria-labelledby="purposes-title">
          <h2 id="purposes-title">{t("privacy.purposesTitle")}</h2>
          <ul className="purposes">
            {(Object.keys(PURPOSES) as Purpose[]).map((purpose) => {
              const on = current.purposes.includes(purpose);
              const next = on ? current.purposes.filter((p) => p !== purpose) : [...current.purposes, purpose];
              return (
                <li key={purpose} className="purpose">
                  <div>
                    <p className="purpose-title" id={`purpose-${purpose}`}>
                      {purposeText(purpose).title}
                    </p>
                    <p id={`purpose-${purpose}-text`}>{purposeText(purpose).description}</p>
                  </div>
                  <button
                    type="button"
                    role="switch"
                    aria-checked={on}
                    aria-labelledby={`purpose-${purpose}`}
                    aria-describedby={`purpose-${purpose}-text`}
                    className="switch"
                    disabled={busy}
                    onClick={() => consent.run({ purpose, on: !on, purposes: next })}
                  >
                    {on ? t("privacy.on") : t("privacy.off")}
                  </button>
                </li>
              );
            })}
          </ul>
          {sponsored && (
            <p className="sponsor" data-testid="privacy-sponsor">
              {t("privacy.sponsor", { brand: app.brand })}
            </p>
          )}
          <ActionStatus state={consent.state} />
          {current.minor && (
            <AskGuardian guardian={current.guardian} missing={GUARDIAN_PURPOSES.filter((p) => !current.purposes.includes(p))} />
          )}
        </section>
      )}

      <GuardianRequests member={member} />
      <GuardianPanel member={member} />

      <section aria-labelledby="data-title">
        <h2 id="data-title">{t("privacy.dataTitle")}</h2>
        <p>{t("privacy.dataIntro")}</p>
        <button type="button" disabled={reading.busy} onClick={() => reading.run(undefined)}>
          {t("privacy.exportReadable")}
        </button>{" "}
        <button type="button" disabled={exporting.busy} onClick={() => exporting.run(undefined)}>
          {t("privacy.exportJson")}
        </button>
        <ActionStatus state={reading.state} />
        <ActionStatus state={exporting.state} />
      </section>

      {current && (
        <section aria-labelledby="forget-title">
          <h2 id="forget-title">{t("privacy.forgetTitle")}</h2>
          <p>{server ? t("privacy.forgetAtBrand", { brand: app.brand }) : t("privacy.forgetDirect", { brand: app.brand })}</p>
          {!confirmingForget ? (
            <button type="button" className="danger" disabled={busy} onClick={() => setConfirmingForget(true)}>
              {t("privacy.forget")}
            </button>
          ) : (
            <div role="group" aria-label={t("privacy.confirmForget")} className="confirm">
              <p>{server ? t("privacy.askAtBrand", { brand: app.brand }) : t("privacy.askDirect")}</p>
              <button
                type="button"
                className="danger"
                disabled={busy}
                autoFocus
                onClick={() => forget.run(undefined, { onSettled: () => setConfirmingForget(false) })}
              >
                {t("privacy.yesForget")}
              </button>
              <button type="button" disabled={busy} onClick={() => setConfirmingForget(false)}>
                {t("privacy.cancel")}
              </button>
            </div>
          )}
        </section>
      )}
      <ActionStatus state={forget.state} />
      {forgotten && forget.state.status === "confirmed" && <ForgetAnswer outcome={forgotten} />}
    </>
  );
}
