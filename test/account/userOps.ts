import { ethers } from "hardhat";
import type { ContractTransactionResponse } from "ethers";
import { type Address, type Hex, type LocalAccount } from "viem";
import { entryPoint08Address, toPackedUserOperation, type UserOperation } from "viem/account-abstraction";
import entryPointArtifact from "@account-abstraction/contracts/artifacts/EntryPoint.json";
import type { MemberAccountCall } from "../../sdk/src/account/memberAccountCalls";
import { signSponsorship } from "../../sdk/src/account/signSponsorship";
import type { ToMemberAccountReturnType } from "../../sdk/src/account/toMemberAccount";

/**
 * Gas limits of the test UserOps: enough for a first UserOp that deploys the account and checks a passkey in
 * Solidity (no P-256 precompile). The EntryPoint charges the gas used (plus 10 % of unused execution gas over 40,000),
 * and the transaction's gas, which the benchmarks report, is what was used.
 */
export const TEST_GAS = {
  verificationGasLimit: 800_000n,
  callGasLimit: 600_000n,
  preVerificationGas: 60_000n,
  paymasterVerificationGasLimit: 60_000n,
  paymasterPostOpGasLimit: 0n,
} as const;

export type SponsorOptions = {
  sponsor: LocalAccount;
  paymaster: Address;
  /** Seconds from now the sponsorship holds (default 120). */
  lifetime?: number;
  validAfter?: number;
  validUntil?: number;
};

/** The chain's clock (the latest block's timestamp). */
export async function chainNow(): Promise<number> {
  const block = await ethers.provider.getBlock("latest");
  if (!block) throw new Error("no block");
  return block.timestamp;
}

/** A UserOp of `account` running `calls`, with `initCode` while the account is not deployed, not signed yet. */
export async function unsignedUserOp(
  account: ToMemberAccountReturnType,
  calls: readonly MemberAccountCall[],
  overrides: Partial<UserOperation<"0.8">> = {},
): Promise<UserOperation<"0.8">> {
  // Not `account.isDeployed()`: viem remembers a deployment, which a test's snapshot revert undoes; and its
  // `getFactoryArgs` asks `this.isDeployed()` first, so it is called on an object without that memory.
  const deployed = (await ethers.provider.getCode(account.address)) !== "0x";
  const factoryArgs = deployed ? {} : await account.getFactoryArgs.call({} as never);
  const block = await ethers.provider.getBlock("latest");
  const baseFee = block?.baseFeePerGas ?? 1_000_000_000n;
  return {
    sender: account.address,
    nonce: await account.getNonce(),
    ...factoryArgs,
    callData: await account.encodeCalls(calls.map((call) => ({ to: call.to, value: call.value ?? 0n, data: call.data ?? "0x" }))),
    ...TEST_GAS,
    maxFeePerGas: baseFee * 2n + 1_000_000_000n,
    maxPriorityFeePerGas: 1_000_000_000n,
    signature: "0x",
    ...overrides,
  };
}

/** Adds the paymaster and the sponsor's signature over the UserOp and a window (`validUntil` default: now + 120 s). */
export async function sponsor(userOp: UserOperation<"0.8">, options: SponsorOptions): Promise<UserOperation<"0.8">> {
  const { chainId } = await ethers.provider.getNetwork();
  const validUntil = options.validUntil ?? (await chainNow()) + (options.lifetime ?? 120);
  const { signature: _unused, paymaster: _p, paymasterData: _d, ...unsigned } = userOp;
  const paymasterData = await signSponsorship({
    sponsor: options.sponsor,
    paymaster: options.paymaster,
    chainId: Number(chainId),
    userOperation: unsigned,
    validAfter: options.validAfter,
    validUntil,
  });
  return { ...userOp, paymaster: options.paymaster, paymasterData };
}

/** The member's passkey signs the UserOp (a WebAuthn assertion over its EntryPoint hash). */
export async function signUserOp(
  account: ToMemberAccountReturnType,
  userOp: UserOperation<"0.8">,
): Promise<UserOperation<"0.8">> {
  const { chainId } = await ethers.provider.getNetwork();
  return { ...userOp, signature: await account.signUserOperation({ ...userOp, chainId: Number(chainId) }) };
}

/** Builds, sponsors and signs a UserOp of `account` running `calls`. */
export async function sponsoredUserOp(
  account: ToMemberAccountReturnType,
  calls: readonly MemberAccountCall[],
  options: SponsorOptions,
): Promise<UserOperation<"0.8">> {
  return signUserOp(account, await sponsor(await unsignedUserOp(account, calls), options));
}

/** The EntryPoint v0.8 as an ethers contract, sending from `bundler` (a test's stand-in for a bundler). */
export function entryPointAs(bundler: Awaited<ReturnType<typeof ethers.getSigners>>[number]) {
  return new ethers.Contract(entryPoint08Address, entryPointArtifact.abi, bundler);
}

/** `EntryPoint.handleOps` of the UserOps, the bundler's beneficiary being the bundler itself. */
export async function handleOps(
  bundler: Awaited<ReturnType<typeof ethers.getSigners>>[number],
  userOps: readonly UserOperation<"0.8">[],
) {
  const entryPoint = entryPointAs(bundler);
  const packed = userOps.map((userOp) => toPackedUserOperation(userOp));
  return entryPoint.getFunction("handleOps")(packed, await bundler.getAddress()) as Promise<ContractTransactionResponse>;
}

/** The UserOp's hash as the EntryPoint computes it. */
export async function userOpHash(userOp: UserOperation<"0.8">): Promise<Hex> {
  const [signer] = await ethers.getSigners();
  if (!signer) throw new Error("no signer");
  return (await entryPointAs(signer).getFunction("getUserOpHash")(toPackedUserOperation(userOp))) as Hex;
}

/** `paymasterAndData` as the EntryPoint reads it (for tests that tamper with it). */
export function paymasterAndData(userOp: UserOperation<"0.8">): Hex {
  return toPackedUserOperation(userOp).paymasterAndData;
}
