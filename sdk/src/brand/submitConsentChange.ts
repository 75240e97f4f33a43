import type { Hex } from "viem";
import { consentRegistryAbi } from "../abis";
import { execute, type ExecuteResult } from "../internal/execute";
import type { Program, WriteClient } from "../program";
import type { PurposesChangeMessage } from "../member/consentTypes";
import type { SignedConsent } from "../member/consentTypes";

/**
 * Submits a member's signed change of purposes (revocation included); the brand or a relayer pays the gas.
 *
 * @example
 * await submitConsentChange(backend, { program, change: await signConsentChange(member, { program, purposes: [] }) });
 */
export async function submitConsentChange(
  client: WriteClient,
  { program, change, guardianSignature = "0x" }: { program: Program; change: SignedConsent<PurposesChangeMessage>; guardianSignature?: Hex },
): Promise<ExecuteResult> {
  return execute(client, {
    address: program.consent,
    abi: consentRegistryAbi,
    functionName: "changePurposes",
    args: [change.message, change.signature, guardianSignature],
  });
}
