import { PunchcardError } from "@punchcard/sdk";

/**
 * The program server did not answer at all (down, or the network): nothing was posted or relayed. A file of its own so
 * that errors.ts, which every page loads, names it without loading the server's client and its schemas.
 */
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
