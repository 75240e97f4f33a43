import { readContract, signTypedData } from "viem/actions";
import { marketAbi } from "../generated/abis.js";
import type { Program, WriteClient } from "../program.js";
import { cancelAllOrdersTypes, marketDomain } from "../types/orders.js";
import type { AllOrdersCancellation, SignedIntent } from "../types/intents.js";
import { expiryIn } from "../utils/expiryIn.js";

export interface SignCancelAllParameters {
  program: Program;
  /** Unix seconds after which the relayer can no longer submit it (default: 7 days from now). */
  deadline?: bigint;
}

export type SignCancelAllReturnType = SignedIntent<AllOrdersCancellation>;

/**
 * Signs a cancel-all of the member's Market orders, for the relayer to submit ({@link relayCancel}): the gasless
 * form of {@link cancelAllOrders}. It signs the member's current Market nonce, which the submission bumps, so it
 * works once.
 *
 * @example
 * const cancelAll = await signCancelAll(ada, { program });
 */
export async function signCancelAll(
  client: WriteClient,
  { program, deadline }: SignCancelAllParameters,
): Promise<SignCancelAllReturnType> {
  deadline ??= await expiryIn(client);
  const signer = client.account.address;
  const nonce = await readContract(client, { address: program.market, abi: marketAbi, functionName: "nonces", args: [signer] });
  const message: AllOrdersCancellation = { signer, nonce, deadline };
  const signature = await signTypedData(client, {
    account: client.account,
    domain: marketDomain(program),
    types: cancelAllOrdersTypes,
    primaryType: "CancelAllOrders",
    message,
  });
  return { message, signature };
}
