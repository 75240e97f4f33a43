import type { Address } from "viem";

/**
 * Tells the brand's program server that the member linked from its link request (`POST /links/confirm`): the
 * server reads the link from the chain and marks the brand's record linked, the same way for a browser wallet's own
 * transaction and a passkey card's UserOp. The link is on the chain already whatever the server answers, so a
 * server that is down or keeps no link store does not undo the member's success: the brand's record stays pending
 * until anyone asks again (the route reads only the chain). Without a program server there is nobody to tell.
 *
 * @example
 * await submitLink(writer, { program, consent, attestation });
 * await confirmLinkAtBrand(app.serverUrl, member);
 */
export async function confirmLinkAtBrand(serverUrl: string | undefined, wallet: Address): Promise<void> {
  if (!serverUrl) return;
  // The server's client (its schemas) is loaded with the confirmation, not with the page.
  const { programServerClient } = await import("../../programServer.js");
  await programServerClient(serverUrl)
    .confirmLink(wallet)
    .catch((error: unknown) => console.warn("The brand could not mark the link done yet:", error));
}
