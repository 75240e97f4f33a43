import { consentRegistryAbi, linkConsentCalls, PURPOSES, signConsentLink, submitLink, type Purpose } from "@punchcard/sdk";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { isAddressEqual, type Address } from "viem";
import { getBlock, readContract } from "viem/actions";
import { usePublicClient } from "wagmi";
import { ActionStatus } from "../components/ActionStatus.js";
import { useAction } from "../components/useAction.js";
import { useAppConfig } from "../context.js";
import { confirmLinkAtBrand } from "../features/link/confirmLink.js";
import { parseLinkRequest } from "../features/link/linkRequest.js";
import { useMemberWriter } from "../passkey/useMemberWriter.js";
import { sendUserOperation } from "../passkey/userOps.js";
import { purposeText } from "../words.js";

/** How long the member's consent may wait for its link to be mined (the SDK's signConsentLink: an hour). */
const LINK_LIFETIME_SECONDS = 3600n;

/**
 * A brand's link request (`#/link/<code>`, see linkRequest.ts): the member chooses the purposes they allow and links
 * this card or wallet to their customer account. A card's account calls the consent registry itself in one UserOp
 * the brand sponsors (its own call is its consent: `linkConsentCalls`); a browser wallet signs its consent and
 * sends the link with the brand's attestation (`signConsentLink`, `submitLink`); either way the brand's program server
 * is then told, and marks its record linked once it reads the link on the chain. A code that is damaged, made for
 * another wallet, or expired is refused in words before anything is signed.
 */
export function Link({ code, member }: { code: string; member: Address }) {
  const app = useAppConfig();
  const { t } = useTranslation();
  const { program } = app;
  const client = usePublicClient();
  const wallet = useMemberWriter();
  const [purposes, setPurposes] = useState<Purpose[]>(["rewards"]);
  const request = parseLinkRequest(code);
  const link = useAction(
    () => (wallet.passkey ? t("action.sponsored", { label: t("link.action"), brand: app.brand }) : t("link.action")),
    async () => {
      if (!request || !client || !wallet.writer) throw new Error(t("errors.notReady"));
      const { commitment, deadline: attestationDeadline } = request.message;
      if (!wallet.passkey) {
        const sent = await submitLink(wallet.writer, {
          program,
          consent: await signConsentLink(wallet.writer, { program, commitment, purposes }),
          attestation: request,
        });
        await confirmLinkAtBrand(app.serverUrl, member);
        return sent;
      }
      const [nonce, block] = await Promise.all([
        readContract(client, { address: program.consent, abi: consentRegistryAbi, functionName: "nonces", args: [member] }),
        getBlock(client),
      ]);
      const deadline = block.timestamp + LINK_LIFETIME_SECONDS;
      const sent = await sendUserOperation(
        client,
        wallet.passkey,
        linkConsentCalls({
          program,
          wallet: member,
          commitment,
          purposes,
          nonce,
          deadline: deadline < attestationDeadline ? deadline : attestationDeadline,
          attestation: request,
        }),
      );
      await confirmLinkAtBrand(app.serverUrl, member);
      return sent;
    },
  );

  const refusal = !request
    ? t("link.damaged", { brand: app.brand })
    : !isAddressEqual(request.message.wallet, member)
      ? t("link.otherWallet", { brand: app.brand })
      : request.message.deadline * 1000n < BigInt(Date.now())
        ? t("link.expired", { brand: app.brand })
        : undefined;
  const toggle = (purpose: Purpose, on: boolean) =>
    setPurposes((now) => (on ? [...now.filter((p) => p !== purpose), purpose] : now.filter((p) => p !== purpose)));

  return (
    <>
      <h1>{t("link.title", { brand: app.brand })}</h1>
      {refusal ? (
        <p role="alert" className="message failed">
          {refusal}
        </p>
      ) : (
        <section aria-labelledby="link-purposes" className="card">
          <p>{t("link.intro", { brand: app.brand })}</p>
          <h2 id="link-purposes">{t("link.purposes")}</h2>
          <ul className="purposes">
            {(Object.keys(PURPOSES) as Purpose[]).map((purpose) => (
              <li key={purpose} className="purpose">
                <input
                  type="checkbox"
                  id={`link-${purpose}`}
                  checked={purposes.includes(purpose)}
                  disabled={link.busy || link.state.status === "confirmed"}
                  onChange={(e) => toggle(purpose, e.target.checked)}
                />{" "}
                <label htmlFor={`link-${purpose}`}>{purposeText(purpose).title}</label>
                <p>{purposeText(purpose).description}</p>
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="primary"
            disabled={link.busy || link.state.status === "confirmed" || purposes.length === 0}
            onClick={() => link.run(undefined)}
          >
            {t("link.confirm")}
          </button>
          <ActionStatus state={link.state} />
          {link.state.status === "confirmed" && (
            <p>
              <a href="#/privacy">{t("link.seePrivacy")}</a>
            </p>
          )}
        </section>
      )}
    </>
  );
}
