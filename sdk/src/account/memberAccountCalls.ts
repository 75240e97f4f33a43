import {
  decodeAbiParameters,
  decodeFunctionData,
  encodeAbiParameters,
  encodeFunctionData,
  erc20Abi,
  zeroAddress,
  type Abi,
  type Address,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type EncodeFunctionDataParameters,
  type Hex,
} from "viem";
import { consentRegistryAbi, marketAbi, memberAccountAbi, pointsAbi, rewardsAbi, stampsAbi } from "../generated/abis.js";
import type { Program } from "../program.js";
import { guardianPurposesToMask } from "../internal/guardianPurposes.js";
import type { AttestationMessage, GuardianPurpose, Purpose, PurposesChangeMessage, SignedConsent } from "../types/consent.js";
import type { Listing, Offer, Order, Signed, SwapOrder } from "../types/orders.js";
import type { SignedVoucher } from "../types/rewards.js";
import { purposesToMask } from "../utils/consent.js";

/** One call a member account makes: the target, the native coin it sends (0 for a member) and the calldata. */
export interface MemberAccountCall {
  to: Address;
  value?: bigint | undefined;
  data?: Hex | undefined;
}

/** ERC-7821's batch mode: call type 0x01 (batch), exec type 0x00 (revert on failure), no selector or payload. */
export const ERC7821_BATCH_MODE: Hex = "0x0100000000000000000000000000000000000000000000000000000000000000";

const executionsParameters = [
  {
    type: "tuple[]",
    components: [
      { name: "target", type: "address" },
      { name: "value", type: "uint256" },
      { name: "callData", type: "bytes" },
    ],
  },
] as const;

/**
 * The calldata of a member account running `calls` in order, all or none (ERC-7821 `execute` in batch mode): what
 * a UserOp's `callData` holds. Approve and buy go in one batch, so the approval never outlives the purchase.
 *
 * @example
 * const callData = encodeMemberAccountCalls([{ to: points, data: approveData }, { to: market, data: buyData }]);
 */
export function encodeMemberAccountCalls(calls: readonly MemberAccountCall[]): Hex {
  const executions = calls.map((call) => ({ target: call.to, value: call.value ?? 0n, callData: call.data ?? "0x" }));
  return encodeFunctionData({
    abi: memberAccountAbi,
    functionName: "execute",
    args: [ERC7821_BATCH_MODE, encodeAbiParameters(executionsParameters, [executions])],
  });
}

/**
 * The calls of a member account's `execute` calldata (the inverse of {@link encodeMemberAccountCalls}).
 *
 * @example
 * const calls = decodeMemberAccountCalls(userOperation.callData);
 */
export function decodeMemberAccountCalls(data: Hex): MemberAccountCall[] {
  const { functionName, args } = decodeFunctionData({ abi: memberAccountAbi, data });
  if (functionName !== "execute") throw new Error(`Not a member account batch: ${functionName}.`);
  const [mode, executionData] = args;
  if (mode !== ERC7821_BATCH_MODE) throw new Error(`Unsupported execution mode ${mode}.`);
  const [executions] = decodeAbiParameters(executionsParameters, executionData);
  return executions.map((execution) => ({ to: execution.target, value: execution.value, data: execution.callData }));
}

// ---- A member's actions as the calls of one UserOp ----
// What an EOA member sends as several transactions (an approval, then the action), a member account sends as one
// batch, all or none: an approval never outlives the action it was for. Each builder answers the calls to hand to
// `prepareSponsoredUserOperation`; the program server sponsors them under the relay policy.

/**
 * Redeems a journey voucher the brand signed (its stamps and points go to the voucher's member).
 *
 * @example
 * const calls = redeemVoucherCalls({ program, voucher });
 */
export function redeemVoucherCalls({ program, voucher }: { program: Program; voucher: SignedVoucher }): MemberAccountCall[] {
  return [call(program.rewards, rewardsAbi, "redeem", [voucher.order, voucher.signature])];
}

/**
 * Buys a listed stamp priced in an ERC-20: the Market approved for the price, then `buy`, in one batch. When
 * `allowance` (what the account already lets the Market take of the currency, `allowance(account, market)`) covers
 * the price, the approve is left out: the UserOp is the `buy` alone, about 8,000 gas less. An allowance that is not
 * really there makes the `buy` revert, which the program server's simulation refuses before sponsoring.
 *
 * @example
 * const calls = buyStampCalls({ program, listing });
 * // An account that keeps an allowance for the Market (approved once):
 * const steady = buyStampCalls({ program, listing, allowance: await readContract(client, { ...allowanceCall }) });
 */
export function buyStampCalls({
  program,
  listing,
  recipient = zeroAddress,
  allowance = 0n,
}: {
  program: Program;
  listing: Signed<Listing>;
  recipient?: Address;
  /** The Market's allowance over the account's `listing.order.currency` (default 0: approve the price). */
  allowance?: bigint;
}): MemberAccountCall[] {
  const purchase = call(program.market, marketAbi, "buy", [listing.order, listing.signature, recipient]);
  if (allowance >= listing.order.price) return [purchase];
  return [call(listing.order.currency, erc20Abi, "approve", [program.market, listing.order.price]), purchase];
}

/**
 * Backs an offer (signed by the account, ERC-1271) with an allowance: the Market may take `amount` of the currency
 * when a seller accepts. `amount` is the whole allowance the account's open offers need, this one included.
 *
 * @example
 * const calls = approveOfferCalls({ program, currency: program.points, amount: offer.order.price });
 */
export function approveOfferCalls({
  program,
  currency,
  amount,
}: {
  program: Program;
  currency: Address;
  amount: bigint;
}): MemberAccountCall[] {
  return [call(currency, erc20Abi, "approve", [program.market, amount])];
}

/**
 * Lets the Market move the account's stamps when a listing or swap it signs is filled (once per account; batch it
 * with the first UserOp).
 *
 * @example
 * const calls = [...redeemVoucherCalls({ program, voucher }), ...approveMarketCalls({ program })];
 */
export function approveMarketCalls({ program }: { program: Program }): MemberAccountCall[] {
  return [call(program.stamps, stampsAbi, "setApprovalForAll", [program.market, true])];
}

/**
 * Sells a stamp to an offer: the Market approved for the account's stamps (when `approveMarket`), then `acceptOffer`.
 *
 * @example
 * const calls = acceptOfferCalls({ program, offer, tokenId, approveMarket: true });
 */
export function acceptOfferCalls({
  program,
  offer,
  tokenId,
  approveMarket = false,
}: {
  program: Program;
  offer: Signed<Offer>;
  tokenId: bigint;
  approveMarket?: boolean;
}): MemberAccountCall[] {
  return [
    ...(approveMarket ? approveMarketCalls({ program }) : []),
    call(program.market, marketAbi, "acceptOffer", [offer.order, offer.signature, tokenId]),
  ];
}

/**
 * Takes a swap with one of the account's stamps: the swap's fees approved in points (`quoteSwap`), then `swap`.
 *
 * @example
 * const calls = fillSwapCalls({ program, swap, takerTokenId, fees });
 */
export function fillSwapCalls({
  program,
  swap,
  takerTokenId,
  fees,
}: {
  program: Program;
  swap: Signed<SwapOrder>;
  takerTokenId: bigint;
  fees: bigint;
}): MemberAccountCall[] {
  return [
    ...(fees > 0n ? [call(program.points, erc20Abi, "approve", [program.market, fees])] : []),
    call(program.market, marketAbi, "swap", [swap.order, swap.signature, takerTokenId]),
  ];
}

/**
 * Cancels one of the account's orders on the Market (a listing, an offer or a swap).
 *
 * @example
 * const calls = cancelOrderCalls({ program, order: { kind: "listing", order: listing.order } });
 */
export function cancelOrderCalls({ program, order }: { program: Program; order: Order }): MemberAccountCall[] {
  if (order.kind === "listing") return [call(program.market, marketAbi, "cancelListing", [order.order])];
  if (order.kind === "offer") return [call(program.market, marketAbi, "cancelOffer", [order.order])];
  return [call(program.market, marketAbi, "cancelSwap", [order.order])];
}

/**
 * Cancels every order the account signed so far (its Market nonce moves on).
 *
 * @example
 * const calls = cancelAllOrdersCalls({ program });
 */
export function cancelAllOrdersCalls({ program }: { program: Program }): MemberAccountCall[] {
  return [call(program.market, marketAbi, "incrementNonce", [])];
}

/**
 * Links the account to the brand's customer behind `commitment` with consent to `purposes`: the account calls the
 * consent registry's `link` itself, so it signs nothing (the registry takes the caller as the member's consent);
 * the brand's attestation (`attestLink`, for this wallet and commitment) comes with it. `nonce` is the account's
 * consent nonce (`consent.nonces(account)`), `deadline` when the request lapses.
 *
 * @example
 * const calls = linkConsentCalls({ program, wallet, commitment, purposes: ["rewards"], nonce, deadline, attestation });
 */
export function linkConsentCalls({
  program,
  wallet,
  commitment,
  purposes,
  nonce,
  deadline,
  attestation,
}: {
  program: Program;
  wallet: Address;
  commitment: Hex;
  purposes: readonly Purpose[];
  nonce: bigint;
  deadline: bigint;
  attestation: SignedConsent<AttestationMessage>;
}): MemberAccountCall[] {
  const request = { wallet, commitment, purposes: purposesToMask(purposes), nonce, deadline };
  return [call(program.consent, consentRegistryAbi, "link", [request, "0x", attestation.message, attestation.signature, "0x"])];
}

/**
 * Changes the purposes the account allows the brand (the account is the linked wallet: it calls, so it signs nothing).
 *
 * @example
 * const calls = changeConsentCalls({ program, purposes: ["marketing"], nonce, deadline });
 */
export function changeConsentCalls({
  program,
  wallet,
  purposes,
  nonce,
  deadline,
}: {
  program: Program;
  wallet: Address;
  purposes: readonly Purpose[];
  nonce: bigint;
  deadline: bigint;
}): MemberAccountCall[] {
  const change = { wallet, purposes: purposesToMask(purposes), nonce, deadline };
  return [call(program.consent, consentRegistryAbi, "changePurposes", [change, "0x", "0x"])];
}

/**
 * Withdraws every purpose the account allowed (`revokeAll`), or also unlinks it from the customer (`unlink`).
 *
 * @example
 * const calls = withdrawConsentCalls({ program, unlink: true });
 */
export function withdrawConsentCalls({ program, unlink = false }: { program: Program; unlink?: boolean }): MemberAccountCall[] {
  return [call(program.consent, consentRegistryAbi, unlink ? "unlink" : "revokeAll", [])];
}

/**
 * Approves a minor's consent change as their guardian: the account, the guardian the registry names for the minor,
 * submits the minor's signed change itself, so it signs nothing (the registry takes the guardian's call as the
 * approval). From any other account the registry refuses it (`ConsentGuardianRequired`), and so does the program
 * server's simulation before sponsoring.
 *
 * @example
 * const calls = guardianApprovalCalls({ program, change }); // change: the minor's request, from the program server
 */
export function guardianApprovalCalls({
  program,
  change,
}: {
  program: Program;
  change: SignedConsent<PurposesChangeMessage>;
}): MemberAccountCall[] {
  return [call(program.consent, consentRegistryAbi, "changePurposes", [change.message, change.signature, "0x"])];
}

/**
 * Withdraws marketing or partner sharing from a minor's link as their guardian: the account calls the registry
 * itself, so it signs nothing. `nonce` is the guardian's for this minor (`consent.guardianNonces(account, wallet)`),
 * `deadline` when the withdrawal lapses.
 *
 * @example
 * const calls = guardianWithdrawalCalls({ program, wallet: minor, guardian, purposes: ["marketing"], nonce, deadline });
 */
export function guardianWithdrawalCalls({
  program,
  wallet,
  guardian,
  purposes,
  nonce,
  deadline,
}: {
  program: Program;
  wallet: Address;
  guardian: Address;
  purposes: readonly GuardianPurpose[];
  nonce: bigint;
  deadline: bigint;
}): MemberAccountCall[] {
  const withdrawal = { wallet, guardian, purposes: guardianPurposesToMask(purposes), nonce, deadline };
  return [call(program.consent, consentRegistryAbi, "guardianWithdraw", [withdrawal, "0x"])];
}

/**
 * Redeems `amount` of the account's points for the brand's reward `rewardId` (the points are burnt; the brand
 * hands the reward over on the `PointsRedeemed` event).
 *
 * @example
 * const calls = redeemPointsCalls({ program, amount: 50n, rewardId: toHex("free-coffee", { size: 32 }) });
 */
export function redeemPointsCalls({
  program,
  amount,
  rewardId,
}: {
  program: Program;
  amount: bigint;
  rewardId: Hex;
}): MemberAccountCall[] {
  return [call(program.points, pointsAbi, "redeem", [amount, rewardId])];
}

/**
 * Claims a perk: its points approved to Rewards (when it costs points), the one stamp it burns approved (when it
 * takes one), then the claim, in one batch.
 *
 * @example
 * const calls = claimPerkCalls({ program, perkId, pointsCost: 10n });
 */
export function claimPerkCalls({
  program,
  perkId,
  pointsCost = 0n,
  tokenId,
}: {
  program: Program;
  perkId: Hex;
  pointsCost?: bigint;
  tokenId?: bigint | undefined;
}): MemberAccountCall[] {
  return [
    ...(pointsCost > 0n ? [call(program.points, erc20Abi, "approve", [program.rewards, pointsCost])] : []),
    ...(tokenId === undefined
      ? [call(program.rewards, rewardsAbi, "claimPerk", [perkId])]
      : [
          call(program.stamps, stampsAbi, "approve", [program.rewards, tokenId]),
          call(program.rewards, rewardsAbi, "claimPerkWithStamp", [perkId, tokenId]),
        ]),
  ];
}

function call<const TAbi extends Abi, Name extends ContractFunctionName<TAbi, "nonpayable" | "payable">>(
  to: Address,
  abi: TAbi,
  functionName: Name,
  args: ContractFunctionArgs<TAbi, "nonpayable" | "payable", Name>,
): MemberAccountCall {
  return { to, data: encodeFunctionData({ abi, functionName, args } as EncodeFunctionDataParameters) };
}
