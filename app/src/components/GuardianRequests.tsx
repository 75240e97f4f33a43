import {
  signGuardianRequestDecline,
  signGuardianRequestsRead,
  type GuardianRequest,
  type GuardianRequests as Requests,
  type SignedGuardianRequestsRead,
} from "@punchcard/sdk";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { usePublicClient } from "wagmi";
import type { Address } from "viem";
import { useAppConfig } from "../context.js";
import { errorSentence } from "../errors.js";
import { useMemberWriter } from "../passkey/useMemberWriter.js";
import { sendOrRelay } from "../sendOrRelay.js";
import { personName, purposeText } from "../words.js";
import { ActionStatus } from "./ActionStatus.js";
import { useAction } from "./useAction.js";
import { useProgramServer } from "./useProgramServer.js";

/** "marketing and partner sharing", in the active language. */
export function askedText(request: GuardianRequest, and: string): string {
  return request.asked.map((p) => purposeText(p).title.toLocaleLowerCase()).join(and);
}

/**
 * The guardian's side of a minor's request, on their own Privacy page: the requests of minors in their care (read
 * from the program server with a signed read, which lasts 10 minutes and is reused for the re-reads), each in a
 * sentence, with Approve (sponsored: the guardian signs, the brand's relayer sends; a passkey guardian's account
 * submits the change in a UserOp the brand sponsors) and Decline (signed, kept by the server; nothing on-chain).
 * Without a program server there is nothing to show.
 */
export function GuardianRequests({ member }: { member: Address }) {
  const app = useAppConfig();
  const { program } = app;
  const { t } = useTranslation();
  const client = usePublicClient();
  const { writer, passkey } = useMemberWriter();
  const server = useProgramServer();
  const [requests, setRequests] = useState<Requests | undefined>();
  const [readProblem, setReadProblem] = useState<string | undefined>();
  const [read, setRead] = useState<SignedGuardianRequestsRead | undefined>();
  const [reading, setReading] = useState(false);
  const refresh = async (signed = read) => {
    if (!server || !signed) return;
    setRequests(await server.guardianRequests(signed));
  };
  const show = async () => {
    if (!server || !writer) return;
    setReading(true);
    setReadProblem(undefined);
    try {
      const signed = await signGuardianRequestsRead(writer, { program, reader: member });
      setRead(signed);
      await refresh(signed);
    } catch (error) {
      setReadProblem(errorSentence(error));
    } finally {
      setReading(false);
    }
  };
  const minor = (r: GuardianRequest) => personName(app.testAccounts, r.wallet);
  const approve = useAction(
    (r: GuardianRequest) =>
      t("action.sponsored", {
        label: t("guardianRequests.approveLabel", { minor: minor(r), purposes: askedText(r, t("story.and")) }),
        brand: app.brand,
      }),
    async (r: GuardianRequest) => {
      if (!writer || !server) throw new Error(t("guardianRequests.notReady"));
      const sender = { program, client: client!, writer, relayer: server, passkey };
      const result = await sendOrRelay("guardianApproval", sender, { change: r.change });
      await refresh();
      return result;
    },
  );
  const decline = useAction(
    (r: GuardianRequest) => t("guardianRequests.declineLabel", { minor: minor(r), purposes: askedText(r, t("story.and")) }),
    async (r: GuardianRequest) => {
      if (!writer || !server) throw new Error(t("guardianRequests.notReady"));
      await server.declineGuardianRequest(await signGuardianRequestDecline(writer, { program, request: r.id }));
      await refresh();
      return undefined;
    },
  );
  if (!server) return null;
  const busy = approve.busy || decline.busy || reading;
  return (
    <section aria-labelledby="guardian-requests-title">
      <h2 id="guardian-requests-title">{t("guardianRequests.title")}</h2>
      <p>{t("guardianRequests.intro")}</p>
      <button type="button" disabled={busy} onClick={() => void show()}>
        {requests ? t("guardianRequests.again") : t("guardianRequests.show")}
      </button>
      {readProblem && (
        <p role="alert" className="message failed">
          {readProblem}
        </p>
      )}
      {requests && (
        <div data-testid="guardian-requests">
          {requests.toAnswer.length === 0 ? (
            <p>{t("guardianRequests.none")}</p>
          ) : (
            <ul className="requests">
              {requests.toAnswer.map((r) => (
                <li key={r.id} className="card">
                  <p>{t("guardianRequests.asks", { minor: minor(r), purposes: askedText(r, t("story.and")) })}</p>
                  <button type="button" disabled={busy} onClick={() => approve.run(r)}>
                    {t("guardianRequests.approve")}
                  </button>{" "}
                  <button type="button" disabled={busy} onClick={() => decline.run(r)}>
                    {t("guardianRequests.decline")}
                  </button>
                </li>
              ))}
            </ul>
          )}
          <p className="sponsor">{t("guardianRequests.sponsor", { brand: app.brand })}</p>
        </div>
      )}
      <ActionStatus state={approve.state} />
      <ActionStatus state={decline.state} />
    </section>
  );
}
