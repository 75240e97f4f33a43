import { getBlock, readContract } from "viem/actions";
import { consentRegistryAbi } from "../abis";
import { execute, type ExecuteResult } from "../internal/execute";
import type { Program, WriteClient } from "../program";
import { purposesToMask, type Purpose } from "./consentTypes";

/**
 * The member sets a new, complete set of purposes from their own wallet (they pay the gas; nothing to
 * sign). Granting marketing or partner sharing to a minor needs the guardian: use the brand's relayed path.
 *
 * @example
 * await changeConsent(member, { program, purposes: ["rewards"] });
 */
export async function changeConsent(
  client: WriteClient,
  { program, purposes }: { program: Program; purposes: readonly Purpose[] },
): Promise<ExecuteResult> {
  const wallet = client.account.address;
  const nonce = await readContract(client, { address: program.consent, abi: consentRegistryAbi, functionName: "nonces", args: [wallet] });
  const deadline = (await getBlock(client)).timestamp + 3600n;
  return execute(client, {
    address: program.consent,
    abi: consentRegistryAbi,
    functionName: "changePurposes",
    args: [{ wallet, purposes: purposesToMask(purposes), nonce, deadline }, "0x", "0x"],
  });
}
