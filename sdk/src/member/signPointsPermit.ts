import { readContract, signTypedData } from "viem/actions";
import { pointsAbi } from "../generated/abis.js";
import { requireRange } from "../internal/validate.js";
import type { Program, WriteClient } from "../program.js";
import { permitTypes, tokenDomain, type PointsPermit, type SignedIntent } from "../types/intents.js";
import type { Address } from "viem";
import { expiryIn } from "../utils/expiryIn.js";

export interface SignPointsPermitParameters {
  program: Program;
  /** What the spender may pull: exactly what the trade needs (the SDK never signs an unlimited permit by default). */
  value: bigint;
  /** Who may pull it (default: the program's Market). */
  spender?: Address;
  /** The ERC-2612 token (default: the program's Points; an allowed stablecoin with `permit` works the same). */
  token?: Address;
  /** Unix seconds after which the permit cannot be used (default: 7 days from now). */
  deadline?: bigint;
}

export type SignPointsPermitReturnType = SignedIntent<PointsPermit>;

/**
 * Signs an ERC-2612 permit letting the Market pull `value` of the member's points, for the relayer to submit
 * before a relayed purchase or swap ({@link relayMatch}, {@link relaySwap}): the gasless form of an ERC-20
 * approval. It sets the allowance to `value` (not on top of it), uses the member's next Points nonce (shared with
 * {@link signRedeem}: sign one, let it be submitted, then sign the next), and is bound to this chain and token.
 *
 * @example
 * const permit = await signPointsPermit(ben, { program, value: purchase.order.price });
 */
export async function signPointsPermit(
  client: WriteClient,
  { program, value, spender = program.market, token = program.points, deadline }: SignPointsPermitParameters,
): Promise<SignPointsPermitReturnType> {
  requireRange("value", value, 0n);
  deadline ??= await expiryIn(client);
  const owner = client.account.address;
  const nonce = await readContract(client, { address: token, abi: pointsAbi, functionName: "nonces", args: [owner] });
  const message = { owner, spender, value, nonce, deadline };
  const signature = await signTypedData(client, {
    account: client.account,
    domain: await tokenDomain(client, token),
    types: permitTypes,
    primaryType: "Permit",
    message,
  });
  return { message: { token, ...message }, signature };
}
