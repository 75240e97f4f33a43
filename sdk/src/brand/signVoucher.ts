import { hashTypedData, zeroAddress, type Address } from "viem";
import { signTypedData } from "viem/actions";
import { DEFAULT_VOUCHER_LIFETIME_SECONDS, MAX_VOUCHER_STAMPS } from "../constants.js";
import { requireAddress, requireRange, toBytes32 } from "../internal/validate.js";
import type { Program, WriteClient } from "../program.js";
import { rewardsDomain, voucherTypes, type SignedVoucher, type VoucherMessage } from "../types/rewards.js";
import { expiryIn } from "../utils/expiryIn.js";
import { randomSalt } from "../utils/randomSalt.js";

export interface SignVoucherParameters {
  program: Program;
  /** The member who completed the journey: only this wallet is paid, whoever redeems. */
  member: Address;
  /** The journey's code (as in the program config, e.g. "five-visits"), or its bytes32. */
  journeyId: string;
  /** Stamps of the journey's series to mint (at most the journey's). */
  stamps?: bigint;
  /** Points to reward, also earned as status points (at most the journey's). */
  points?: bigint;
  /** For a referral journey, the wallet the member referred. */
  referee?: Address;
  /** Unix seconds after which the voucher cannot be redeemed (default: 30 days from now). */
  expiry?: bigint;
  /** Unique id (default: random); the brand keeps it to cancel the voucher. */
  voucherId?: string;
}

export type SignVoucherReturnType = SignedVoucher;

/**
 * Signs a journey voucher with the brand backend's key, which needs the issuer role on Rewards. Nothing is sent:
 * hand the voucher to the member (or your relayer), who redeems it with {@link redeemVoucher}.
 *
 * @example
 * const voucher = await signVoucher(backend, { program, member: alice, journeyId: "five-visits", stamps: 1n, points: 50n });
 */
export async function signVoucher(
  client: WriteClient,
  { program, member, journeyId, stamps = 0n, points = 0n, referee = zeroAddress, expiry, voucherId }: SignVoucherParameters,
): Promise<SignVoucherReturnType> {
  requireAddress("member", member);
  if (referee !== zeroAddress) requireAddress("referee", referee);
  requireRange("stamps", stamps, 0n, BigInt(MAX_VOUCHER_STAMPS));
  requireRange("points", points, 0n);
  const order: VoucherMessage = {
    member,
    journeyId: toBytes32("journeyId", journeyId),
    stamps,
    points,
    expiry: expiry ?? (await expiryIn(client, DEFAULT_VOUCHER_LIFETIME_SECONDS)),
    voucherId: voucherId === undefined ? randomSalt() : toBytes32("voucherId", voucherId),
    referee,
  };
  const typedData = { domain: rewardsDomain(program), types: voucherTypes, primaryType: "Voucher", message: order } as const;
  const signature = await signTypedData(client, { account: client.account, ...typedData });
  return { order, signature, orderHash: hashTypedData(typedData) };
}
