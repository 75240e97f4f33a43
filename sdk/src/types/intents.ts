import type { Address, Hex, TypedDataDomain } from "viem";
import { readContract } from "viem/actions";
import { pointsAbi } from "../generated/abis.js";
import type { ReadClient } from "../program.js";

// EIP-712 types of what a member signs so that the brand's relayer can act for them without ever signing for them:
// the same fields, in the same order, as the TYPEHASH constants in contracts/Stamps.sol and contracts/Points.sol
// (and OpenZeppelin's ERC-2612 `Permit`). The tests sign with these and the contracts verify.

export const approvalForAllTypes = {
  ApprovalForAll: [
    { name: "owner", type: "address" },
    { name: "operator", type: "address" },
    { name: "approved", type: "bool" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export const redeemTypes = {
  Redeem: [
    { name: "member", type: "address" },
    { name: "amount", type: "uint256" },
    { name: "rewardId", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export const permitTypes = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** A member's signed approval of an operator (the Market) for all their stamps. */
export interface MarketApproval {
  owner: Address;
  operator: Address;
  approved: boolean;
  nonce: bigint;
  deadline: bigint;
}

/** A member's signed ERC-2612 permit: `spender` may pull up to `value` of their points (or another permit token). */
export interface PointsPermit {
  /** The token the permit is for: the program's Points or an ERC-20 with ERC-2612. */
  token: Address;
  owner: Address;
  spender: Address;
  value: bigint;
  nonce: bigint;
  deadline: bigint;
}

/** A member's signed redemption of points for a reward. */
export interface Redemption {
  member: Address;
  amount: bigint;
  rewardId: Hex;
  nonce: bigint;
  deadline: bigint;
}

/** A member's signed cancellation of one Market order (by its EIP-712 hash). */
export interface OrderCancellation {
  orderHash: Hex;
  deadline: bigint;
}

/** A member's signed cancel-all of their Market orders (their current Market nonce). */
export interface AllOrdersCancellation {
  signer: Address;
  nonce: bigint;
  deadline: bigint;
}

/** A message with its signer's EIP-712 signature: what a member hands the relayer. */
export interface SignedIntent<Message> {
  message: Message;
  signature: Hex;
}

/**
 * The EIP-712 domain a token contract announces (ERC-5267 `eip712Domain`): Stamps signs approvals in it, Points
 * permits and redemptions. Read from the chain rather than rebuilt, so it always matches the contract's name.
 *
 * @example
 * const domain = await tokenDomain(client, program.points);
 */
export async function tokenDomain(client: ReadClient, token: Address): Promise<TypedDataDomain> {
  // Every ERC-5267 contract's eip712Domain has the same signature: Points' ABI reads Stamps' too.
  const [, name, version, chainId, verifyingContract] = await readContract(client, {
    address: token,
    abi: pointsAbi,
    functionName: "eip712Domain",
  });
  return { name, version, chainId: Number(chainId), verifyingContract };
}
