import { getConsentLink, GUARDIAN_PURPOSES, PURPOSES, type Purpose } from "@punchcard/sdk";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { Address } from "viem";
import { usePublicClient, useWalletClient } from "wagmi";
import { ActionStatus } from "../components/ActionStatus.js";
import { GuardianPanel } from "../components/GuardianPanel.js";
import { LocalTime } from "../components/LocalTime.js";
import { QueryError } from "../components/QueryError.js";
import { useAction } from "../components/useAction.js";
import { useProgramServer } from "../components/useProgramServer.js";
import { useAppConfig } from "../context.js";
import { downloadJson, exportWalletData } from "../exportData.js";
import { downloadText, readableWalletData } from "../readableExport.js";
import { sendOrRelay, type Sender } from "../sendOrRelay.js";
import { personName, PURPOSE_TEXT, purposesText } from "../words.js";

const ZERO = "0x0000000000000000000000000000000000000000";

/** The wallet's link, each purpose on/off with one click, guardian status, data export and "forget me". */
export function Privacy({ member }: { member: Address }) {
  const app = useAppConfig();
  const { program } = app;
  const client = usePublicClient();
  const wallet = useWalletClient();
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
  const sponsored = Boolean(server) && link.data?.native === 0n;
  const sender = (): Sender => {
    if (!wallet.data) throw new Error("The wallet is not ready yet: try again in a moment.");
    return { program, client: client!, writer: wallet.data, relayer: sponsored ? server : undefined };
  };
  const by = sponsored ? ` (sponsored by ${app.brand})` : "";
  const consent = useAction(
    ({ purpose, on }: { purpose: Purpose; on: boolean; purposes: Purpose[] }) =>
      `${on ? "Allow" : "Stop"} ${PURPOSE_TEXT[purpose].title.toLowerCase()}${by}`,
    ({ purposes }) => sendOrRelay("consentChange", sender(), { purposes }),
  );
  const forget = useAction(
    () => `Forget me${by}`,
    () => sendOrRelay("forget", sender(), {}),
  );
  const exporting = useAction(
    () => "Export my data",
    async () => {
      downloadJson(await exportWalletData(client!, program, member), `punchcard-data-${member}.json`);
      return undefined;
    },
  );
  const reading = useAction(
    () => "Export a readable copy",
    async () => {
      downloadText(await readableWalletData(client!, app, member), `${app.brand} - my data.txt`);
      return undefined;
    },
  );
  const [confirmingForget, setConfirmingForget] = useState(false);
  const busy = consent.busy || forget.busy;

  if (link.isPending) return <p role="status">Reading your consent from the chain…</p>;
  if (link.isError) return <QueryError what="your consent" error={link.error} retry={() => void link.refetch()} />;
  const current = link.data.current;
  const who = (address: Address) => personName(app.testAccounts, address);

  return (
    <>
      <h1>Your privacy</h1>
      <section aria-labelledby="link-title" className="card">
        <h2 id="link-title">Linked account</h2>
        {current ? (
          <dl className="facts">
            <dt>Status</dt>
            <dd data-testid="link-status">
              Linked to your customer account since <LocalTime seconds={current.linkedAt} />
            </dd>
            <dt>On-chain record</dt>
            <dd>
              A code that names nobody without {app.brand}&apos;s secret.
              <details>
                <summary>Details</summary>
                <span className="hash">{current.commitment}</span>
              </details>
            </dd>
            <dt>Guardian</dt>
            <dd data-testid="guardian">
              {current.minor
                ? `You are linked as a minor: your guardian ${who(current.guardian)} must also approve ${purposesText(GUARDIAN_PURPOSES)}.`
                : current.guardian !== ZERO
                  ? `Guardian ${who(current.guardian)}`
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
          {sponsored && (
            <p className="sponsor" data-testid="privacy-sponsor">
              Sponsored by {app.brand}: you hold no coin, so you only sign and {app.brand} sends each change and pays for it.
            </p>
          )}
          <ActionStatus state={consent.state} />
        </section>
      )}

      <GuardianPanel member={member} />

      <section aria-labelledby="data-title">
        <h2 id="data-title">Your data</h2>
        <p>
          Download everything the chain holds about this wallet: a readable copy (amounts with their units, stamps and people by
          name, every event in a sentence), and the same as a JSON file for programs.
        </p>
        <button type="button" disabled={reading.busy} onClick={() => reading.run(undefined)}>
          Export a readable copy
        </button>{" "}
        <button type="button" disabled={exporting.busy} onClick={() => exporting.run(undefined)}>
          Export my data
        </button>
        <ActionStatus state={reading.state} />
        <ActionStatus state={exporting.state} />
      </section>

      {current && (
        <section aria-labelledby="forget-title">
          <h2 id="forget-title">Forget me</h2>
          {sponsored ? (
            <p>
              Withdraws every consent on the chain now: you sign, {app.brand} sends it and pays for it. Your wallet stays linked
              until {app.brand} erases its record of you. Your stamps and points stay yours.
            </p>
          ) : (
            <p>
              Unlinks this wallet from your customer account and withdraws every consent, on-chain. Your stamps and points stay
              yours.
            </p>
          )}
          {!confirmingForget ? (
            <button type="button" className="danger" disabled={busy} onClick={() => setConfirmingForget(true)}>
              Forget me
            </button>
          ) : (
            <div role="group" aria-label="Confirm forget me" className="confirm">
              <p>{sponsored ? "Withdraw every consent now?" : "Unlink this wallet now?"} This cannot be undone from here.</p>
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
