import { type Address, isAddressEqual } from "viem";
import { readContract, signTypedData } from "viem/actions";
import { DEFAULT_CONSENT_LIFETIME_SECONDS } from "../constants.js";
import { InvalidArgumentError } from "../errors.js";
import { consentRegistryAbi } from "../generated/abis.js";
import { consentNonce } from "../internal/consentNonce.js";
import { requireAddress } from "../internal/validate.js";
import type { Program, WriteClient } from "../program.js";
import { consentDomain, guardianChangeTypes, type GuardianChangeMessage, type SignedConsent } from "../types/consent.js";
import { expiryIn } from "../utils/expiryIn.js";

export interface SignGuardianChangeParameters {
  program: Program;
  /** The guardian the member asks for instead of the current one. */
  newGuardian: Address;
  deadline?: bigint;
}

export type SignGuardianChangeReturnType = SignedConsent<GuardianChangeMessage>;

/**
 * A minor signs the change of their guardian to `newGuardian` (the current guardian is read from the
 * registry and named in the message). The new guardian signs the same message ({@link acceptGuardianship})
 * and the brand submits both ({@link submitGuardianChange}).
 *
 * @example
 * const change = await signGuardianChange(minor, { program, newGuardian });
 */
export async function signGuardianChange(
  client: WriteClient,
  { program, newGuardian, deadline }: SignGuardianChangeParameters,
): Promise<SignGuardianChangeReturnType> {
  requireAddress("newGuardian", newGuardian);
  const wallet = client.account.address;
  if (isAddressEqual(newGuardian, wallet)) throw new InvalidArgumentError("newGuardian", "cannot be the minor's own wallet.");
  const link = await readContract(client, {
    address: program.consent,
    abi: consentRegistryAbi,
    functionName: "linkOf",
    args: [wallet],
  });
  if (!link.minor) throw new InvalidArgumentError("wallet", `${wallet} is linked as an adult's: it has no guardian to change.`);
  const message: GuardianChangeMessage = {
    wallet,
    oldGuardian: link.guardian,
    newGuardian,
    nonce: await consentNonce(client, program, wallet),
    deadline: deadline ?? (await expiryIn(client, DEFAULT_CONSENT_LIFETIME_SECONDS)),
  };
  const signature = await signTypedData(client, {
    account: client.account,
    domain: consentDomain(program),
    types: guardianChangeTypes,
    primaryType: "GuardianChange",
    message,
  });
  return { message, signature };
}
