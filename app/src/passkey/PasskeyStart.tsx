import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { loadSessionCode, usePasskey } from "./session.js";

/** The longest name a member may put on their card (it is also the passkey's name on their device). */
const NAME_MAX = 32;

type Step = { status: "idle" } | { status: "creating" | "signingIn" } | { status: "failed"; message: string };

/**
 * The start screen's first choice: "Create my card" (a passkey on this device: no seed phrase, no extension, no
 * coin) and "Sign in with my passkey" for a member who has one (after signing out, clearing the browser, or on
 * another browser of the same device). The WebAuthn code is loaded on the click, not with the start screen.
 */
export function PasskeyStart() {
  const { t } = useTranslation();
  const { program, start } = usePasskey();
  const [name, setName] = useState("");
  const [step, setStep] = useState<Step>({ status: "idle" });
  if (!program) return null;
  const busy = step.status === "creating" || step.status === "signingIn";

  const run = async (status: "creating" | "signingIn") => {
    setStep({ status });
    // While the device makes the passkey (the member's fingerprint), fetch what opens the card next: the session's code
    // and the card's first page (the Collection and the card's passkeys). The imports that need them then find them
    // loaded; a fetch that fails here fails again there, where it is told.
    void Promise.all([loadSessionCode(), import("../pages/Collection.js"), import("./CardPasskeys.js")]).catch(() => {});
    try {
      const cards = await import("./passkeyCard.js");
      const chosen = name.trim();
      const card =
        status === "creating"
          ? await cards.createCard(program, chosen || t("card.defaultName", { brand: program.brand }), chosen)
          : await cards.signInWithPasskey(program);
      await start(card);
      setStep({ status: "idle" });
    } catch (error) {
      setStep({ status: "failed", message: passkeyFailure(error, t) });
    }
  };
  const create = (event: FormEvent) => {
    event.preventDefault();
    void run("creating");
  };

  return (
    <section aria-labelledby="card-title" className="card passkey">
      <h2 id="card-title">{t("card.title", { brand: program.brand })}</h2>
      <p>{t("card.intro")}</p>
      <form onSubmit={create}>
        <label htmlFor="card-name">{t("card.nameLabel")}</label>
        <input
          id="card-name"
          value={name}
          maxLength={NAME_MAX}
          autoComplete="nickname"
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit" className="primary" disabled={busy}>
          {t("card.create")}
        </button>
      </form>
      <p>
        {t("card.returning")}{" "}
        <button type="button" disabled={busy} onClick={() => void run("signingIn")}>
          {t("card.signIn")}
        </button>
      </p>
      <div role="status" aria-live="polite">
        {step.status === "creating" && <p className="message pending">{t("card.creating")}</p>}
        {step.status === "signingIn" && <p className="message pending">{t("card.signingIn")}</p>}
        {step.status === "failed" && <p className="message failed">{step.message}</p>}
      </div>
    </section>
  );
}

/** Why creating or opening a card failed, in the member's words. */
function passkeyFailure(error: unknown, t: (key: string) => string): string {
  const names: string[] = [];
  for (let e: unknown = error; e instanceof Error; e = e.cause) names.push(e.name);
  if (names.includes("NotAllowedError") || names.includes("AbortError")) return t("card.cancelled");
  if (names.includes("PasskeyNotRecognisedError")) return t("card.unrecognised");
  if (names.includes("PasskeyRemovedError")) return t("card.passkeyRemoved");
  if (names.includes("NotSupportedError") || typeof window.PublicKeyCredential === "undefined") return t("card.unsupported");
  return t("card.failed");
}
