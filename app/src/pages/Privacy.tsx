import { changeConsent, getConsentLink, GUARDIAN_PURPOSES, PURPOSES, unlinkWallet, type Purpose } from "@punchcard/sdk";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { Address } from "viem";
import { usePublicClient, useWalletClient } from "wagmi";
import { ActionStatus } from "../components/ActionStatus.js";
import { GuardianPanel } from "../components/GuardianPanel.js";
import { QueryError } from "../components/QueryError.js";
import { useAction } from "../components/useAction.js";
import { useAppConfig } from "../context.js";
import { downloadJson, exportWalletData } from "../exportData.js";

const PURPOSE_TEXT: Record<Purpose, { title: string; description: string }> = {
  rewards: { title: "Rewards", description: "Earn points and stamps for your purchases." },
  analytics: { title: "Analytics", description: "The brand may study how members use the program." },
  marketing: { title: "Marketing", description: "The brand may send you offers." },
  partnerSharing: { title: "Partner sharing", description: "The brand may share your data with its partners." },
};

const ZERO = "0x0000000000000000000000000000000000000000";

/** The wallet's link, each purpose on/off with one click, guardian status, data export and "forget me". */
export function Privacy({ member }: { member: Address }) {
  const app = useAppConfig();
  const { program } = app;
  const client = usePublicClient();
  const wallet = useWalletClient();
  const link = useQuery({
    queryKey: ["link", program.consent, member],
    enabled: Boolean(client),
    queryFn: () => getConsentLink(client!, { program, wallet: member }),
  });
  const writer = () => {
    if (!wallet.data) throw new Error("The wallet is not ready yet: try again in a moment.");
    return wallet.data;
  };
  const consent = useAction(
    ({ purpose, on }: { purpose: Purpose; on: boolean; purposes: Purpose[] }) =>
      `${on ? "Allow" : "Stop"} ${PURPOSE_TEXT[purpose].title.toLowerCase()}`,
    ({ purposes }) => changeConsent(writer(), { program, purposes }),
  );
  const forget = useAction(
    () => "Forget me",
    () => unlinkWallet(writer(), { program }),
  );
  const exporting = useAction(
    () => "Export my data",
    async () => {
      downloadJson(await exportWalletData(client!, program, member), `punchcard-data-${member}.json`);
      return undefined;
    },
  );
  const [confirmingForget, setConfirmingForget] = useState(false);
  const busy = consent.busy || forget.busy;

  if (link.isPending) return <p role="status">Reading your consent from the chain…</p>;
  if (link.isError) return <QueryError what="your consent" error={link.error} retry={() => void link.refetch()} />;
  const current = link.data;

  return (
    <>
      <h1>Your privacy</h1>
      <section aria-labelledby="link-title" className="card">
        <h2 id="link-title">Linked account</h2>
        {current ? (
          <dl className="facts">
            <dt>Status</dt>
            <dd data-testid="link-status">
              Linked to your customer account since {new Date(Number(current.linkedAt) * 1000).toLocaleDateString()}
            </dd>
            <dt>On-chain record</dt>
            <dd className="hash">{current.commitment} (a salted commitment: it names nobody without the brand&apos;s salt)</dd>
            <dt>Guardian</dt>
            <dd data-testid="guardian">
              {current.minor
                ? `You are linked as a minor: your guardian ${current.guardian} must also approve ${GUARDIAN_PURPOSES.join(" and ")}.`
                : current.guardian !== ZERO
                  ? `Guardian ${current.guardian}`
                  : "None: you decide alone."}
            </dd>
          </dl>
        ) : (
          <p data-testid="link-status">This wallet is not linked to a customer account: the brand holds no consent from it.</p>
        )}
      </section>

      {current && (
        <section aria-labelledby="purposes-title">
          <h2 id="purposes-title">What the brand may do</h2>
          <ul className="purposes">
            {(Object.keys(PURPOSES) as Purpose[]).map((purpose) => {
              const on = current.purposes.includes(purpose);
              const next = on ? current.purposes.filter((p) => p !== purpose) : [...current.purposes, purpose];
              return (
                <li key={purpose} className="purpose">
                  <div>
                    <p className="purpose-title" id={`purpose-${purpose}`}>
                      {PURPOSE_TEXT[purpose].title}
                    </p>
                    <p id={`purpose-${purpose}-text`}>{PURPOSE_TEXT[purpose].description}</p>
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
                    {on ? "On" : "Off"}
                  </button>
                </li>
              );
            })}
          </ul>
          <ActionStatus state={consent.state} />
        </section>
      )}

      <GuardianPanel member={member} />

      <section aria-labelledby="data-title">
        <h2 id="data-title">Your data</h2>
        <p>Download everything the chain holds about this wallet as one JSON file.</p>
        <button type="button" disabled={exporting.busy} onClick={() => exporting.run(undefined)}>
          Export my data
        </button>
        <ActionStatus state={exporting.state} />
      </section>

      {current && (
        <section aria-labelledby="forget-title">
          <h2 id="forget-title">Forget me</h2>
          <p>
            Unlinks this wallet from your customer account and withdraws every consent, on-chain. Your stamps and points stay
            yours.
          </p>
          {!confirmingForget ? (
            <button type="button" className="danger" disabled={busy} onClick={() => setConfirmingForget(true)}>
              Forget me
            </button>
          ) : (
            <div role="group" aria-label="Confirm forget me" className="confirm">
              <p>Unlink this wallet now? This cannot be undone from here.</p>
              <button
                type="button"
                className="danger"
                disabled={busy}
                autoFocus
                onClick={() => forget.run(undefined, { onSettled: () => setConfirmingForget(false) })}
              >
                Yes, forget me
              </button>
              <button type="button" disabled={busy} onClick={() => setConfirmingForget(false)}>
                Cancel
              </button>
            </div>
          )}
        </section>
      )}
      <ActionStatus state={forget.state} />
    </>
  );
}
