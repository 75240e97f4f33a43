import { getConsentLink, GUARDIAN_PURPOSES, type GuardianPurpose } from "@punchcard/sdk";
import { useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { isAddress, isAddressEqual, type Address } from "viem";
import { usePublicClient, useWalletClient } from "wagmi";
import { useAppConfig } from "../context.js";
import { sendOrRelay } from "../sendOrRelay.js";
import { ActionStatus } from "./ActionStatus.js";
import { QueryError } from "./QueryError.js";
import { useAction } from "./useAction.js";
import { useProgramServer } from "./useProgramServer.js";

const TITLE: Record<GuardianPurpose, string> = { marketing: "marketing", partnerSharing: "partner sharing" };

/**
 * A minor's guardian, on their own Privacy page: look up the minor's wallet, see its guardian status, and withdraw
 * marketing or partner sharing. With a program server the guardian only signs and the brand's relayer sends it
 * (sponsored); without one, the guardian sends the transaction.
 */
export function GuardianPanel({ member }: { member: Address }) {
  const app = useAppConfig();
  const { program } = app;
  const client = usePublicClient();
  const wallet = useWalletClient();
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
    (purpose: GuardianPurpose) => `Withdraw ${TITLE[purpose]}${server ? ` (sponsored by ${app.brand})` : ""}`,
    async (purpose: GuardianPurpose) => {
      if (!wallet.data || !ward) throw new Error("The wallet is not ready yet: try again in a moment.");
      // Sponsored whenever there is a program server: a guardian need not hold the chain's coin.
      const sender = { program, client: client!, writer: wallet.data, relayer: server };
      return sendOrRelay("guardianWithdrawal", sender, { ward, purposes: [purpose] });
    },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = text.trim();
    if (!isAddress(value)) return setProblem(`"${value}" is not a wallet address (0x and 40 hex digits).`);
    setProblem(undefined);
    withdraw.reset();
    setWard(value);
  };
  const current = link.data;
  const isGuardian = current && isAddressEqual(current.guardian, member);
  return (
    <section aria-labelledby="guardian-title">
      <h2 id="guardian-title">A minor in your care</h2>
      <p>If you are a minor&apos;s guardian, look up their wallet to see what you approved and withdraw it.</p>
      <form className="card form" onSubmit={submit}>
        <p>
          <label htmlFor={inputId}>The minor&apos;s wallet</label>
          <input id={inputId} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
        </p>
        <button type="submit">Look up</button>
        {problem && (
          <p role="alert" className="message failed">
            {problem}
          </p>
        )}
      </form>
      {ward && link.isPending && <p role="status">Reading the minor&apos;s consent from the chain…</p>}
      {ward && link.isError && <QueryError what="the minor's consent" error={link.error} retry={() => void link.refetch()} />}
      {ward && link.isSuccess && (
        <div className="card" data-testid="ward">
          {!current ? (
            <p>{ward} is not linked: there is nothing to withdraw.</p>
          ) : !isGuardian ? (
            <p>You are not the guardian of {ward}: only its guardian may withdraw for it.</p>
          ) : (
            <>
              <p>
                {ward} is {current.minor ? "linked as a minor" : "no longer a minor"}, with you as guardian. It allows:{" "}
                {current.purposes.join(", ") || "nothing"}.
              </p>
              {GUARDIAN_PURPOSES.filter((p) => current.purposes.includes(p)).map((purpose) => (
                <button key={purpose} type="button" disabled={withdraw.busy} onClick={() => withdraw.run(purpose)}>
                  Withdraw {TITLE[purpose]}
                </button>
              ))}
              {server && <p className="sponsor">Sponsored by {app.brand}: you sign, its relayer sends it and pays the gas.</p>}
            </>
          )}
        </div>
      )}
      <ActionStatus state={withdraw.state} />
    </section>
  );
}
