import { decodeAbiParameters, decodeFunctionData, encodeAbiParameters, encodeFunctionData, type Address, type Hex } from "viem";
import { memberAccountAbi } from "../generated/abis.js";

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
