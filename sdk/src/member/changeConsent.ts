import { consentRegistryErrorCatalog } from "../errors/consentRegistry.js";
import { getBlock, readContract } from "viem/actions";
import { consentRegistryAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import type { Program, WriteClient } from "../program.js";
import { purposesToMask } from "../utils/consent.js";
import type { Purpose } from "../types/consent.js";

export interface ChangeConsentParameters {
  program: Program;
  purposes: readonly Purpose[];
}

export type ChangeConsentReturnType = ExecuteResult;

/**
 * The member sets a new, complete set of purposes from their own wallet (they pay the gas; nothing to
 * sign). Granting marketing or partner sharing to a minor needs the guardian: use the brand's relayed path.
 *
 * @example
 * await changeConsent(member, { program, purposes: ["rewards"] });
 */
export async function changeConsent(
  client: WriteClient,
  { program, purposes }: ChangeConsentParameters,
): Promise<ChangeConsentReturnType> {
  const wallet = client.account.address;
  const nonce = await readContract(client, {
    address: program.consent,
    abi: consentRegistryAbi,
    functionName: "nonces",
    args: [wallet],
  });
  const deadline = (await getBlock(client)).timestamp + 3600n;
  return execute(
    client,
    {
      address: program.consent,
      abi: consentRegistryAbi,
      functionName: "changePurposes",
      args: [{ wallet, purposes: purposesToMask(purposes), nonce, deadline }, "0x", "0x"],
    },
    [consentRegistryErrorCatalog],
  );
}
