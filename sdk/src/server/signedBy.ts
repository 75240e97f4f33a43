import { hashTypedData, isAddressEqual, recoverAddress, type Address, type Hex, type TypedDataDefinition } from "viem";
import { verifyTypedData } from "viem/actions";
import type { ReadClient } from "../program.js";
import { faultOf } from "../utils/faults.js";

/**
 * Whether `signer` signed the typed data: an EOA's signature is recovered here, any other (ERC-1271) asked of the
 * chain. The chain not answering is not the sender's fault (it is thrown, a 503); a signature the chain cannot
 * even read is a bad one (false).
 */
export async function signedBy(
  client: ReadClient,
  signer: Address,
  typedData: TypedDataDefinition,
  signature: Hex,
): Promise<boolean> {
  const recovered = await recoverAddress({ hash: hashTypedData(typedData), signature }).catch(() => undefined);
  if (recovered !== undefined && isAddressEqual(recovered, signer)) return true;
  try {
    return await verifyTypedData(client, { address: signer, ...typedData, signature });
  } catch (error) {
    if (faultOf(error)) throw error;
    return false;
  }
}
