import { createProgramServerClient, PunchcardError, type ExecuteResult, type ProgramServerClient } from "@punchcard/sdk";
import { waitForTransactionReceipt } from "viem/actions";
import type { Hash, PublicClient } from "viem";

/** The program server did not answer at all (down, or the network): nothing was posted or relayed. */
export class ServerUnreachableError extends PunchcardError {
  override name = "ServerUnreachableError";
  constructor(
    /** The server's address, for the sentence the wallet shows in the member's language. */
    readonly url: string,
    cause: unknown,
  ) {
    super(`The program server (${url}) could not be reached: nothing was posted or sent. Try again later.`, { cause });
  }
}

/** The SDK's typed client of the program server in program.json; a failed connection becomes one plain sentence. */
export function programServerClient(url: string): ProgramServerClient {
  return createProgramServerClient(url, {
    fetch: (input, init) =>
      fetch(input, init).catch((error: unknown) => {
        throw new ServerUnreachableError(url, error);
      }),
  });
}

/**
 * Waits until the relayer's transaction is mined and answers it as the SDK's write actions do. A relayed
 * transaction that reverted after the server's own check is a failure, not a success.
 */
export async function relayed(client: PublicClient, relayedHash: string): Promise<ExecuteResult> {
  const hash = relayedHash as Hash;
  const receipt = await waitForTransactionReceipt(client, { hash });
  if (receipt.status !== "success") throw new PunchcardError(`The relayed transaction ${hash} reverted: nothing changed.`);
  return { hash, receipt };
}

/**
 * Waits (up to `timeoutMs`) until the program server has applied `block`, so that the order book read right after
 * an action already shows it (a filled or cancelled order gone). If the server is slow the page reads it anyway;
 * if it cannot be reached there is nothing to wait for, and the page's next read says so.
 */
export async function bookCaughtUp(server: ProgramServerClient, block: bigint, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const health = await server.health().catch(() => undefined);
    if (health === undefined) return;
    if (health.lastBlock !== undefined && BigInt(health.lastBlock) >= block) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
