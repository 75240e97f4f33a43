import { lazy, Suspense, useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { isAddressEqual } from "viem";
import { useConnect, useConnection, useDisconnect } from "wagmi";
import { LanguagePicker } from "./components/LanguagePicker.js";
import { useAppConfig } from "./context.js";
import { useRoute } from "./route.js";
import { MemberCard } from "./passkey/MemberCard.js";
import { memberNumber } from "./passkey/cardStore.js";
import { PasskeyStart } from "./passkey/PasskeyStart.js";
import { usePasskey } from "./passkey/session.js";

// Each page is a chunk of its own, fetched when the member first opens it: the first load carries the frame and the
// Connect view, not the market, the ledger reader or the SDK's revert decoding (app/test/firstLoad.test.ts).
const Collection = lazy(() => import("./pages/Collection.js").then((m) => ({ default: m.Collection })));
const History = lazy(() => import("./pages/History.js").then((m) => ({ default: m.History })));
const Market = lazy(() => import("./pages/Market.js").then((m) => ({ default: m.Market })));
const BuyPoints = lazy(() => import("./pages/BuyPoints.js").then((m) => ({ default: m.BuyPoints })));
const Privacy = lazy(() => import("./pages/Privacy.js").then((m) => ({ default: m.Privacy })));
const Link = lazy(() => import("./pages/Link.js").then((m) => ({ default: m.Link })));
// A card's passkeys (add one from another device, remove one): with the account code, loaded once a card is open.
const CardPasskeys = lazy(() => import("./passkey/CardPasskeys.js").then((m) => ({ default: m.CardPasskeys })));
const Transaction = lazy(() => import("./pages/Transaction.js").then((m) => ({ default: m.Transaction })));
// A failed connection is worded by errors.ts, which decodes reverts with every contract's errors: loaded on a failure.
const ConnectFailure = lazy(() => import("./components/ConnectFailure.js").then((m) => ({ default: m.ConnectFailure })));

const PAGES = [
  { page: "collection", href: "#/collection" },
  { page: "market", href: "#/market" },
  { page: "buy", href: "#/buy" },
  { page: "history", href: "#/history" },
  { page: "privacy", href: "#/privacy" },
] as const;

export function App() {
  const app = useAppConfig();
  const { t } = useTranslation();
  const route = useRoute();
  const connection = useConnection();
  const { disconnect } = useDisconnect();
  const passkey = usePasskey();
  const card = passkey.session?.card;
  // A passkey member's account, or the connected wallet's address: every page reads and acts for this one member.
  const address = card?.address ?? connection.address;
  const status = passkey.restoring ? "reconnecting" : connection.status;
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
        {card ? (
          <div className="who">
            <span className="address">{card.name || t("card.number", { number: memberNumber(card.address) })}</span>
            <button type="button" onClick={passkey.end}>
              {t("card.signOut")}
            </button>
          </div>
        ) : (
          address && (
            <div className="who">
              <span className="address" title={address}>
                {app.testAccounts?.find((a) => isAddressEqual(a.address, address))?.name ?? t("app.yourWallet")}
              </span>
              <button type="button" onClick={() => disconnect()}>
                {t("app.disconnect")}
              </button>
            </div>
          )
        )}
        <LanguagePicker />
      </header>
      <main id="main" className="page" tabIndex={-1} ref={main}>
        <Suspense fallback={<p role="status">{t("app.loading")}</p>}>
          {route.page === "tx" ? (
            <Transaction hash={route.hash} member={address} />
          ) : !address ? (
            <Connect reconnecting={status === "reconnecting" || status === "connecting"} />
          ) : route.page === "history" ? (
            <History member={address} />
          ) : route.page === "market" ? (
            <Market member={address} />
          ) : route.page === "buy" ? (
            <BuyPoints member={address} />
          ) : route.page === "privacy" ? (
            <Privacy member={address} />
          ) : route.page === "link" ? (
            <Link code={route.code} member={address} />
          ) : (
            <>
              {card && <MemberCard card={card} brand={app.brand} />}
              <Collection member={address} />
              {card && <CardPasskeys card={card} />}
            </>
          )}
        </Suspense>
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
      <PasskeyStart />
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
                  {t("plain.testAccount", { name: connector.name })}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <div role="status" aria-live="polite">
        {status === "pending" && <p className="message pending">{t("connect.pending")}</p>}
        {error && (
          <Suspense fallback={null}>
            <ConnectFailure error={error} />
          </Suspense>
        )}
      </div>
    </section>
  );
}
