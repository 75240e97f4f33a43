import { passkeyId } from "@punchcard/sdk";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { usePublicClient } from "wagmi";
import { ActionStatus } from "../components/ActionStatus.js";
import { QueryError } from "../components/QueryError.js";
import { useAction } from "../components/useAction.js";
import { useAppConfig } from "../context.js";
import { accountPasskeys, addPasskeyCalls, removePasskeyCalls, type AccountPasskey } from "./accountPasskeys.js";
import { rememberAddedPasskey, type PasskeyCard } from "./cardStore.js";
import { newPasskey } from "./passkeyCard.js";
import { usePasskey } from "./session.js";
import { sendUserOperation } from "./userOps.js";

/**
 * The card's settings: its passkeys, as its account holds them. "Add a passkey" makes one more (the browser offers
 * this device, or another phone or computer through its QR code) and adds it to the account in a UserOp the brand
 * sponsors, signed by the passkey in use; "Remove" takes one away (a lost phone). The passkey in use is never offered
 * for removal (the card would lock itself out of this session), and the account refuses to lose its last one.
 */
export function CardPasskeys({ card }: { card: PasskeyCard }) {
  const app = useAppConfig();
  const { t } = useTranslation();
  const client = usePublicClient();
  const { session, program } = usePasskey();
  const firstPublicKey = card.firstPublicKey ?? card.publicKey;
  const keys = useQuery({
    queryKey: ["passkeys", card.address],
    enabled: Boolean(client),
    queryFn: () => accountPasskeys(client!, card.address, firstPublicKey, app.program.deployBlock),
  });
  const sponsored = (label: string) => t("action.sponsored", { label, brand: app.brand });
  const add = useAction(
    () => sponsored(t("passkeys.add")),
    async () => {
      if (!client || !session || !program) throw new Error(t("errors.notReady"));
      const credential = await newPasskey(
        program,
        `${card.name || t("card.defaultName", { brand: app.brand })} (${(keys.data?.length ?? 1) + 1})`,
      );
      const result = await sendUserOperation(client, session.sender, addPasskeyCalls(card.address, credential.publicKey));
      rememberAddedPasskey(program, card, credential.id, credential.publicKey);
      return result;
    },
  );
  const remove = useAction(
    ({ index }: { key: AccountPasskey; index: number }) => sponsored(t("passkeys.remove", { number: index + 1 })),
    async ({ key }) => {
      if (!client || !session) throw new Error(t("errors.notReady"));
      return sendUserOperation(client, session.sender, removePasskeyCalls(card.address, key.keyId));
    },
  );
  const inUse = passkeyId(card.publicKey).toLowerCase();
  const busy = add.busy || remove.busy;

  return (
    <section aria-labelledby="passkeys-title" className="card">
      <h2 id="passkeys-title">{t("passkeys.title")}</h2>
      <p>{t("passkeys.intro")}</p>
      {keys.isPending ? (
        <p role="status">{t("passkeys.reading")}</p>
      ) : keys.isError ? (
        <QueryError what={t("passkeys.subject")} error={keys.error} retry={() => void keys.refetch()} />
      ) : (
        <ul className="passkeys" data-testid="passkeys">
          {keys.data.map((key, index) => (
            <li key={key.keyId} data-key={key.keyId}>
              {t("passkeys.name", { number: index + 1 })}
              {key.keyId.toLowerCase() === inUse ? (
                ` (${t("passkeys.inUse")})`
              ) : (
                <>
                  {" "}
                  <button type="button" disabled={busy} onClick={() => remove.run({ key, index })}>
                    {t("passkeys.remove", { number: index + 1 })}
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <button type="button" disabled={busy || !session} onClick={() => add.run(undefined)}>
        {t("passkeys.add")}
      </button>
      <ActionStatus state={add.state} />
      <ActionStatus state={remove.state} />
    </section>
  );
}
