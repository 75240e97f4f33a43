import {
  getConsentLink,
  signGuardianRequest,
  signGuardianRequestsRead,
  type GuardianPurpose,
  type GuardianRequest,
  type Purpose,
} from "@punchcard/sdk";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { usePublicClient } from "wagmi";
import type { Address } from "viem";
import { useAppConfig } from "../context.js";
import { useMemberWriter } from "../passkey/useMemberWriter.js";
import { personName, purposeText } from "../words.js";
import { ActionStatus } from "./ActionStatus.js";
import { askedText } from "./GuardianRequests.js";
import { useAction } from "./useAction.js";
import { useProgramServer } from "./useProgramServer.js";

/**
 * A minor's side: for each purpose only the guardian may approve and not yet allowed, "Ask <guardian> to allow
 * it", which signs the change (no transaction) and leaves it with the program server for the guardian named on
 * the chain; and "See my requests", which reads how they stand. Only wallets travel: no name, no message.
 */
export function AskGuardian({ guardian, missing }: { guardian: Address; missing: readonly GuardianPurpose[] }) {
  const app = useAppConfig();
  const { program } = app;
  const { t } = useTranslation();
  const client = usePublicClient();
  const { writer } = useMemberWriter();
  const server = useProgramServer();
  const [sent, setSent] = useState<GuardianRequest[] | undefined>();
  const who = personName(app.testAccounts, guardian);
  const title = (p: GuardianPurpose) => purposeText(p).title.toLocaleLowerCase();
  const ask = useAction(
    (purpose: GuardianPurpose) => t("askGuardian.label", { guardian: who, purpose: title(purpose) }),
    async (purpose: GuardianPurpose) => {
      if (!writer || !server) throw new Error(t("guardianRequests.notReady"));
      // Today's purposes as the chain has them now (a guardian may have approved one since the page read them).
      const link = await getConsentLink(client!, { program, wallet: writer.account.address });
      const purposes: Purpose[] = [...(link?.purposes ?? []), purpose];
      // Signed, never sent: a passkey member's account signs the ERC-7739 way, and the registry checks it (ERC-1271).
      await server.askGuardian({ change: await signGuardianRequest(writer, { program, purposes }) });
      return undefined;
    },
  );
  const look = useAction(
    () => t("askGuardian.see"),
    async () => {
      if (!writer || !server) throw new Error(t("guardianRequests.notReady"));
      setSent((await server.guardianRequests(await signGuardianRequestsRead(writer, { program }))).sent);
      return undefined;
    },
  );
  if (!server || missing.length === 0) return null;
  return (
    <div className="card" data-testid="ask-guardian">
      <p>{t("askGuardian.intro", { guardian: who })}</p>
      {missing.map((purpose) => (
        <button key={purpose} type="button" disabled={ask.busy} onClick={() => ask.run(purpose)}>
          {t("askGuardian.label", { guardian: who, purpose: title(purpose) })}
        </button>
      ))}{" "}
      <button type="button" disabled={look.busy} onClick={() => look.run(undefined)}>
        {t("askGuardian.see")}
      </button>
      <ActionStatus state={ask.state} />
      {ask.state.status === "confirmed" && <p>{t("askGuardian.sent", { guardian: who })}</p>}
      <ActionStatus state={look.state} />
      {sent && (
        <ul data-testid="sent-requests">
          {sent.length === 0 && <li>{t("askGuardian.noneSent")}</li>}
          {sent.map((r) => (
            <li key={r.id}>{t(`askGuardian.status.${r.status}`, { guardian: who, purposes: askedText(r, t("story.and")) })}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
