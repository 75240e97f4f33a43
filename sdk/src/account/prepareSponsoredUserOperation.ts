import { getCode } from "viem/actions";
import type { Address, Client, Hex } from "viem";
import type { UserOperation } from "viem/account-abstraction";
import { estimateFeesPerGas } from "viem/actions";
import type { MemberAccountCall } from "./memberAccountCalls.js";
import type { ToMemberAccountReturnType } from "./toMemberAccount.js";

/** A UserOp complete but for the paymaster's data and the member's signature: what the program server is asked to sponsor. */
export type UnsponsoredUserOperation = Omit<UserOperation<"0.8">, "signature" | "paymaster" | "paymasterData">;

/** The program server's answer to a sponsorship request: its paymaster and the data it signed for this UserOp. */
export type Sponsorship = { paymaster: Address; paymasterData: Hex };

/** Asks for a sponsorship (the program server, after its policy; or a key of its own, see `sponsorWithKey`). */
export type Sponsor = (userOperation: UnsponsoredUserOperation) => Promise<Sponsorship>;

/**
 * Gas limits of a member's UserOp when the caller gives none: room for a first UserOp that deploys the account and
 * checks the passkey in Solidity on a chain without the P-256 precompile (~480,000 in all, measured by
 * `npm run bench:accounts`). The EntryPoint charges what is used, plus 10 % of unused execution gas above 40,000.
 */
export const MEMBER_USER_OPERATION_GAS = {
  verificationGasLimit: 600_000n,
  callGasLimit: 600_000n,
  preVerificationGas: 60_000n,
  paymasterVerificationGasLimit: 60_000n,
  paymasterPostOpGasLimit: 0n,
} as const;

export type PrepareSponsoredUserOperationParameters = {
  /** The member's account (`toMemberAccount`). */
  account: ToMemberAccountReturnType;
  /** What the account does, in order, all or none (approve and buy belong in one UserOp). */
  calls: readonly MemberAccountCall[];
  /** Who pays: the program server's sponsorship of this exact UserOp. */
  sponsor: Sponsor;
  /** Gas limits (default {@link MEMBER_USER_OPERATION_GAS}); a bundler's estimate is tighter. */
  gas?: Partial<typeof MEMBER_USER_OPERATION_GAS> | undefined;
  /** Fees per gas (default: the chain's estimate). */
  fees?: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } | undefined;
};

export type PrepareSponsoredUserOperationReturnType = UserOperation<"0.8">;

/**
 * A member's UserOp, sponsored and signed, ready for a bundler (`eth_sendUserOperation`) or `EntryPoint.handleOps`:
 * it deploys the account when it does not exist yet (its factory and data), asks `sponsor` for the paymaster's
 * signature over everything but the signatures, then has the passkey sign the EntryPoint's hash. The member holds
 * and spends no coin.
 *
 * @example
 * const userOperation = await prepareSponsoredUserOperation(client, { account, calls, sponsor: askProgramServer });
 */
export async function prepareSponsoredUserOperation(
  client: Client,
  { account, calls, sponsor, gas, fees }: PrepareSponsoredUserOperationParameters,
): Promise<PrepareSponsoredUserOperationReturnType> {
  // Read the code, not `account.isDeployed()`: viem keeps a deployment in memory, which a reorg (or a test's
  // snapshot) can undo; and its `getFactoryArgs` answers nothing once it thinks the account exists.
  const code = await getCode(client, { address: account.address });
  const deployed = code !== undefined && code !== "0x";
  const factoryArgs = deployed ? {} : await account.getFactoryArgs.call({} as never);
  const { maxFeePerGas, maxPriorityFeePerGas } = fees ?? (await estimateFeesPerGas(client));
  const unsponsored: UnsponsoredUserOperation = {
    sender: account.address,
    nonce: await account.getNonce(),
    ...factoryArgs,
    callData: await account.encodeCalls(calls.map((call) => ({ to: call.to, value: call.value ?? 0n, data: call.data ?? "0x" }))),
    ...MEMBER_USER_OPERATION_GAS,
    ...gas,
    maxFeePerGas,
    maxPriorityFeePerGas,
  };
  // Only the paymaster's two fields: a program server's answer carries more (its window, what is left today).
  const { paymaster, paymasterData } = await sponsor(unsponsored);
  const sponsored = { ...unsponsored, paymaster, paymasterData, signature: "0x" as Hex };
  return { ...sponsored, signature: await account.signUserOperation(sponsored) };
}
