import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import type { WriteClient } from "@punchcard/sdk";
import { usePublicClient, useWalletClient } from "wagmi";
import { useProgramServer } from "../components/useProgramServer.js";
import { useAppConfig } from "../context.js";
import { signedInCard, signOut, type CardProgram, type PasskeyCard } from "./cardStore.js";
import type { PasskeySession } from "./openSession.js";
import type { PasskeySender } from "./userOps.js";

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
 * Holds the passkey session. The account code (the SDK's member account, WebAuthn, P-256) is loaded only when a
 * card is opened, so a visitor who never uses one does not download it (app/test/firstLoad.test.ts).
 */
export function PasskeyProvider({ children }: { children: ReactNode }) {
  const app = useAppConfig();
  const client = usePublicClient();
  const server = useProgramServer();
  const accounts = app.accounts;
  const program = useMemo<CardProgram | undefined>(
    () =>
      accounts && client && server
        ? { client, chainId: app.record.chainId, factory: accounts.factory, brand: app.brand }
        : undefined,
    [accounts, client, server, app.record.chainId, app.brand],
  );
  const [session, setSession] = useState<PasskeySession | undefined>();
  const [restoring, setRestoring] = useState(() => Boolean(program && signedInCard(program)));

  const start = useCallback(
    async (card: PasskeyCard) => {
      if (!accounts || !client || !server) return;
      const { openSession } = await import("./openSession.js");
      setSession(
        await openSession(card, {
          client,
          rpcUrl: app.rpcUrl,
          factory: accounts.factory,
          bundlerUrl: accounts.bundlerUrl,
          server,
        }),
      );
    },
    [accounts, client, server, app.rpcUrl],
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

/**
 * Who signs for the member on a page: a passkey member's account (and the sender of its UserOps), or the connected
 * wallet (wagmi's wallet client). Pages hand both to sendOrRelay, which picks the UserOp route for a passkey member.
 */
export function useMemberWriter(): { writer: WriteClient | undefined; passkey: PasskeySender | undefined } {
  const { session } = usePasskey();
  const wallet = useWalletClient();
  return session ? { writer: session.writer, passkey: session.sender } : { writer: wallet.data, passkey: undefined };
}
