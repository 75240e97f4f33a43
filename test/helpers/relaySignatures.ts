import { ethers } from "hardhat";
import type { Signer, TypedDataDomain, TypedDataField } from "ethers";
import { approvalForAllTypes, cancelAllOrdersTypes, cancelOrderTypes, permitTypes, redeemTypes } from "@punchcard/sdk";

/**
 * EIP-712 typed data of the signed intents a relayer submits for members (approval, redemption, cancellations), for
 * tests. The field lists are the SDK's, which follow the TYPEHASH constants in Stamps.sol, Points.sol and types/MarketTypes.sol.
 */

const APPROVAL_TYPES: Record<string, TypedDataField[]> = { ApprovalForAll: [...approvalForAllTypes.ApprovalForAll] };
const PERMIT_TYPES: Record<string, TypedDataField[]> = { Permit: [...permitTypes.Permit] };
const REDEEM_TYPES: Record<string, TypedDataField[]> = { Redeem: [...redeemTypes.Redeem] };
const CANCEL_ORDER_TYPES: Record<string, TypedDataField[]> = { CancelOrder: [...cancelOrderTypes.CancelOrder] };
const CANCEL_ALL_TYPES: Record<string, TypedDataField[]> = { CancelAllOrders: [...cancelAllOrdersTypes.CancelAllOrders] };

/** A token's ERC-5267 domain (Stamps, Points); override `chainId` or `verifyingContract` to sign for elsewhere. */
export async function domainOf(
  token: { eip712Domain(): Promise<[string, string, string, bigint, string, string, bigint[]]> },
  overrides: Partial<TypedDataDomain> = {},
): Promise<TypedDataDomain> {
  const [, name, version, chainId, verifyingContract] = await token.eip712Domain();
  return { name, version, chainId, verifyingContract, ...overrides };
}

export function signApproval(
  signer: Signer,
  domain: TypedDataDomain,
  message: { owner: string; operator: string; approved: boolean; nonce: bigint; deadline: bigint },
): Promise<string> {
  return signer.signTypedData(domain, APPROVAL_TYPES, message);
}

/** An ERC-2612 permit, split into v, r, s as `permit` takes it. */
export async function signPermit(
  signer: Signer,
  domain: TypedDataDomain,
  message: { owner: string; spender: string; value: bigint; nonce: bigint; deadline: bigint },
) {
  return ethers.Signature.from(await signer.signTypedData(domain, PERMIT_TYPES, message));
}

export function signRedemption(
  signer: Signer,
  domain: TypedDataDomain,
  message: { member: string; amount: bigint; rewardId: string; nonce: bigint; deadline: bigint },
): Promise<string> {
  return signer.signTypedData(domain, REDEEM_TYPES, message);
}

export function signCancelOrder(signer: Signer, domain: TypedDataDomain, orderHash: string, deadline: bigint): Promise<string> {
  return signer.signTypedData(domain, CANCEL_ORDER_TYPES, { orderHash, deadline });
}

export function signCancelAll(
  signer: Signer,
  domain: TypedDataDomain,
  message: { signer: string; nonce: bigint; deadline: bigint },
): Promise<string> {
  return signer.signTypedData(domain, CANCEL_ALL_TYPES, message);
}

export const REWARD = ethers.encodeBytes32String("free-coffee");
