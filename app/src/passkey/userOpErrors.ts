import { PunchcardError } from "@punchcard/sdk";

// The failures of a passkey member's action, apart from the code that sends UserOps, so that errors.ts (which every
// page loads) can word them without loading the bundler client.

/** The bundler did not answer: nothing was sent (the sponsorship it was given expires unused). */
export class BundlerUnreachableError extends Error {
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`The bundler at ${url} cannot be reached.`, { cause });
    this.name = "BundlerUnreachableError";
  }
}

/** The UserOp was mined but its calls reverted: the EntryPoint undid all of them (a batch is all or none). */
export class UserOperationRevertedError extends PunchcardError {
  override name = "UserOperationRevertedError";
  constructor(hash: string) {
    super(`The operation ${hash} reverted: nothing changed.`);
  }
}

/**
 * An action the wallet does not run from a passkey account: renewing offers that ended because the one permit they
 * relied on was used. A card's offers are backed by its allowance, not by permits, so none of them ends that way.
 */
export class PasskeyActionUnavailableError extends PunchcardError {
  override name = "PasskeyActionUnavailableError";
  constructor(readonly action: string) {
    super(`This action (${action}) cannot be done from a passkey card yet: nothing was sent.`);
  }
}
