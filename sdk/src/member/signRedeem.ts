import { readContract, signTypedData } from "viem/actions";
import { pointsAbi } from "../generated/abis.js";
import { requireRange, toBytes32 } from "../internal/validate.js";
import type { Program, WriteClient } from "../program.js";
import { redeemTypes, tokenDomain, type Redemption, type SignedIntent } from "../types/intents.js";
import { expiryIn } from "../utils/expiryIn.js";

export interface SignRedeemParameters {
  program: Program;
  /** Points to burn, in the token's smallest unit. */
  amount: bigint;
  /** What the points are spent on: a short public code (at most 31 bytes of text, or a 32-byte hex). */
  rewardId: string;
  /** Unix seconds after which the relayer can no longer submit it (default: 7 days from now). */
  deadline?: bigint;
}

export type SignRedeemReturnType = SignedIntent<Redemption>;

/**
 * Signs a redemption of the member's points for a reward, for the relayer to submit ({@link relayRedeem}): the
 * gasless form of {@link redeemPoints}. It spends the member's next Points nonce (the one permits use too), so it
 * fills once, on this chain and these Points only, and not after its deadline.
 *
 * @example
 * const redemption = await signRedeem(ada, { program, amount: 100n, rewardId: "free-coffee" });
 */
export async function signRedeem(
  client: WriteClient,
  { program, amount, rewardId, deadline }: SignRedeemParameters,
): Promise<SignRedeemReturnType> {
  requireRange("amount", amount, 1n);
  deadline ??= await expiryIn(client);
  const member = client.account.address;
  const code = toBytes32("rewardId", rewardId);
  const nonce = await readContract(client, { address: program.points, abi: pointsAbi, functionName: "nonces", args: [member] });
  const message: Redemption = { member, amount, rewardId: code, nonce, deadline };
  const signature = await signTypedData(client, {
    account: client.account,
    domain: await tokenDomain(client, program.points),
    types: redeemTypes,
    primaryType: "Redeem",
    message,
  });
  return { message, signature };
}
