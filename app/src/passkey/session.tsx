import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { useAppConfig } from "../context.js";
import { signedInCard, signOut, type CardProgram, type PasskeyCard } from "./cardStore.js";
import type { PasskeySession } from "./openSession.js";

/** The passkey member signed in (if any), and how to start or end that. */
export interface PasskeyState {
  /** Passkey cards are offered: program.json names the account factory and bundler, and there is a program server. */
  offered: boolean;
  /** What a card needs of the program (undefined when not offered). */
  program: CardProgram | undefined;
  session: PasskeySession | undefined;
  /** Reopening the card this browser remembers, after a reload. */
  restoring: boolean;
  start: (card: PasskeyCard) => Promise<void>;
  end: () => void;
}

const PasskeyContext = createContext<PasskeyState | null>(null);

/** The signed-in passkey member, shared by the header, the Connect view and every page that acts. */
export function usePasskey(): PasskeyState {
  const state = useContext(PasskeyContext);
  if (!state) throw new Error("usePasskey outside PasskeyProvider");
  return state;
}

/**
 * The code a card's session runs on: the SDK's member account and the program server's client (its schemas). It comes
 * with the session, not with the start screen; PasskeyStart starts fetching it when the member creates a card or signs
 * in, while the passkey is being made.
 */
export const loadSessionCode = () => Promise.all([import("./openSession.js"), import("../programServer.js")]);

/**
 * Holds the passkey session. The account code (the SDK's member account, WebAuthn, P-256, the chain and server
 * clients) is loaded only when a card is opened, so a visitor who never uses one does not download it
 * (app/test/firstLoad.test.ts).
 */
export function PasskeyProvider({ children }: { children: ReactNode }) {
  const app = useAppConfig();
  const { accounts, serverUrl } = app;
  const program = useMemo<CardProgram | undefined>(
    () =>
      accounts && serverUrl
        ? {
            rpcUrl: app.rpcUrl,
            chainId: app.record.chainId,
            factory: accounts.factory,
            brand: app.brand,
            fromBlock: app.program.deployBlock,
          }
        : undefined,
    [accounts, serverUrl, app.rpcUrl, app.record.chainId, app.brand, app.program.deployBlock],
  );
  const [session, setSession] = useState<PasskeySession | undefined>();
  const [restoring, setRestoring] = useState(() => Boolean(program && signedInCard(program)));

  const start = useCallback(
    async (card: PasskeyCard) => {
      if (!accounts || !serverUrl) return;
      const [{ openSession }, { programServerClient }] = await loadSessionCode();
      const server = programServerClient(serverUrl);
      setSession(
        await openSession(card, {
          rpcUrl: app.rpcUrl,
          chainId: app.record.chainId,
          factory: accounts.factory,
          bundlerUrl: accounts.bundlerUrl,
          server,
        }),
      );
    },
    [accounts, serverUrl, app.rpcUrl, app.record.chainId],
  );
  const end = useCallback(() => {
    if (program) signOut(program);
    setSession(undefined);
  }, [program]);

  useEffect(() => {
    const card = program && signedInCard(program);
    if (!card) return;
    start(card).finally(() => setRestoring(false));
  }, [program, start]);

  const state = useMemo(
    () => ({ offered: Boolean(program), program, session, restoring, start, end }),
    [program, session, restoring, start, end],
  );
  return <PasskeyContext.Provider value={state}>{children}</PasskeyContext.Provider>;
}
