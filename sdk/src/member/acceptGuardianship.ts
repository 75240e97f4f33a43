import { type Hex, isAddressEqual } from "viem";
import { signTypedData } from "viem/actions";
import { InvalidArgumentError } from "../errors.js";
import type { Program, WriteClient } from "../program.js";
import { consentDomain, guardianChangeTypes, type GuardianChangeMessage } from "../types/consent.js";

export interface AcceptGuardianshipParameters {
  program: Program;
  /** The minor's signed GuardianChange message ({@link signGuardianChange}) naming this wallet as new guardian. */
  message: GuardianChangeMessage;
}

export type AcceptGuardianshipReturnType = Hex;

/**
 * The new guardian signs the minor's guardian change, accepting to approve (and be able to withdraw) the
 * minor's marketing and partner sharing from now on.
 *
 * @example
 * const newGuardianSignature = await acceptGuardianship(newGuardian, { program, message: change.message });
 */
export async function acceptGuardianship(
  client: WriteClient,
  { program, message }: AcceptGuardianshipParameters,
): Promise<AcceptGuardianshipReturnType> {
  if (!isAddressEqual(message.newGuardian, client.account.address)) {
    throw new InvalidArgumentError(
      "message",
      `names ${message.newGuardian} as the new guardian, not this wallet (${client.account.address}).`,
    );
  }
  return signTypedData(client, {
    account: client.account,
    domain: consentDomain(program),
    types: guardianChangeTypes,
    primaryType: "GuardianChange",
    message,
  });
}
