import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { isAddressEqual } from "viem";
import { useConnect, useConnection, useDisconnect } from "wagmi";
import { LanguagePicker } from "./components/LanguagePicker.js";
import { useAppConfig } from "./context.js";
import { errorSentence } from "./errors.js";
import { Collection } from "./pages/Collection.js";
import { History } from "./pages/History.js";
import { Market } from "./pages/Market.js";
import { Privacy } from "./pages/Privacy.js";
import { Transaction } from "./pages/Transaction.js";
import { useRoute } from "./route.js";

const PAGES = [
  { page: "collection", href: "#/collection" },
  { page: "market", href: "#/market" },
  { page: "history", href: "#/history" },
  { page: "privacy", href: "#/privacy" },
] as const;

export function App() {
  const app = useAppConfig();
  const { t } = useTranslation();
  const route = useRoute();
  const { address, status } = useConnection();
  const { disconnect } = useDisconnect();
  // After a move to another page, keyboard and screen-reader focus starts at its content, not on the link left behind.
  const main = useRef<HTMLElement>(null);
  const firstRoute = useRef(true);
  useEffect(() => {
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    main.current?.focus();
  }, [route]);
  return (
    <>
      <a className="skip" href="#main">
        {t("app.skip")}
      </a>
      <header className="top">
        <p className="brand">{t("app.wallet", { brand: app.brand })}</p>
        <nav aria-label={t("app.pages")}>
          <ul>
            {PAGES.map((p) => (
              <li key={p.page}>
                <a href={p.href} aria-current={route.page === p.page ? "page" : undefined}>
                  {t(`app.${p.page}`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {address && (
          <div className="who">
            <span className="address" title={address}>
              {app.testAccounts?.find((a) => isAddressEqual(a.address, address))?.name ?? t("app.yourWallet")}
            </span>
            <button type="button" onClick={() => disconnect()}>
              {t("app.disconnect")}
            </button>
          </div>
        )}
        <LanguagePicker />
      </header>
      <main id="main" className="page" tabIndex={-1} ref={main}>
        {route.page === "tx" ? (
          <Transaction hash={route.hash} member={address} />
        ) : !address ? (
          <Connect reconnecting={status === "reconnecting" || status === "connecting"} />
        ) : route.page === "history" ? (
          <History member={address} />
        ) : route.page === "market" ? (
          <Market member={address} />
        ) : route.page === "privacy" ? (
          <Privacy member={address} />
        ) : (
          <Collection member={address} />
        )}
      </main>
    </>
  );
}

function Connect({ reconnecting }: { reconnecting: boolean }) {
  const app = useAppConfig();
  const { t } = useTranslation();
  const { connect, connectors, error, status } = useConnect();
  const injected = connectors.find((c) => c.type === "injected");
  const testAccounts = connectors.filter((c) => c.id.startsWith("test-account-"));
  const chainId = app.record.chainId;
  return (
    <section aria-labelledby="connect-title">
      <h1 id="connect-title">{t("connect.title")}</h1>
      <p>{t("connect.intro")}</p>
      {reconnecting && <p role="status">{t("connect.reconnecting")}</p>}
      {injected && (
        <button
          type="button"
          className="primary"
          disabled={status === "pending"}
          onClick={() => connect({ connector: injected, chainId })}
        >
          {t("connect.browserWallet")}
        </button>
      )}
      {testAccounts.length > 0 && (
        <section aria-labelledby="dev-title" className="card">
          <h2 id="dev-title">{t("connect.devTitle")}</h2>
          <p>{t("connect.devIntro")}</p>
          <ul className="accounts">
            {testAccounts.map((connector) => (
              <li key={connector.uid}>
                <button type="button" disabled={status === "pending"} onClick={() => connect({ connector, chainId })}>
                  {connector.name}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <div role="status" aria-live="polite">
        {status === "pending" && <p className="message pending">{t("connect.pending")}</p>}
        {error && <p className="message failed">{t("connect.failed", { reason: errorSentence(error) })}</p>}
      </div>
    </section>
  );
}
