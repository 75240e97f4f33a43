import type { WriteClient } from "@punchcard/sdk";
import { useWalletClient } from "wagmi";
import { usePasskey } from "./session.js";
import type { PasskeySender } from "./userOps.js";

/**
 * Who signs for the member on a page: a passkey member's account (and the sender of its UserOps), or the connected
 * wallet (wagmi's wallet client). Pages hand both to sendOrRelay, which picks the UserOp route for a passkey member.
 */
export function useMemberWriter(): { writer: WriteClient | undefined; passkey: PasskeySender | undefined } {
  const { session } = usePasskey();
  const wallet = useWalletClient();
  return session ? { writer: session.writer, passkey: session.sender } : { writer: wallet.data, passkey: undefined };
}
