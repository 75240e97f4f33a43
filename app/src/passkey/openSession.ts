import { toMemberAccount, type ProgramServerClient, type WriteClient } from "@punchcard/sdk";
import { createWalletClient, http } from "viem";
import { chainOf } from "./passkeyCard.js";
import type { PasskeyCard } from "./cardStore.js";
import type { PasskeySender } from "./userOps.js";

/** A signed-in passkey member: their card, the account that acts (UserOps), and a client that signs as the account. */
export interface PasskeySession {
  card: PasskeyCard;
  sender: PasskeySender;
  /**
   * The account as a wallet client: what the SDK's signing actions take (a listing or an offer, signed the ERC-7739
   * way and checked by the Market through ERC-1271). It sends no transaction: the account acts through UserOps.
   */
  writer: WriteClient;
}

/** Opens the member account of a card: the passkey signs each UserOp when it is sent (the browser asks each time). */
export async function openSession(
  card: PasskeyCard,
  {
    rpcUrl,
    chainId,
    factory,
    bundlerUrl,
    server,
  }: { rpcUrl: string; chainId: number; factory: `0x${string}`; bundlerUrl: string; server: ProgramServerClient },
): Promise<PasskeySession> {
  const client = chainOf({ rpcUrl, chainId });
  const account = await toMemberAccount({
    client,
    credential: { id: card.credentialId, publicKey: card.publicKey },
    factory,
    address: card.address,
    firstPublicKey: card.firstPublicKey,
  });
  const writer = createWalletClient({ account, chain: client.chain, transport: http(rpcUrl, { retryCount: 0 }) });
  return { card, sender: { account, bundlerUrl, server }, writer };
}
