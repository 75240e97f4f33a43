import { decodeFunctionData, isAddressEqual, type Abi, type Address, type Hex } from "viem";
import { decodeMemberAccountCalls, type MemberAccountCall } from "../../account/memberAccountCalls.js";
import { consentRegistryAbi, marketAbi, memberAccountAbi, pointsAbi, rewardsAbi, stampsAbi } from "../../generated/abis.js";
import type { Program } from "../../program.js";
import type { RelayAction } from "../../serverApi/schemas.js";
import { ServerRefusal } from "../errors.js";

/**
 * What a member account may have the brand pay for, contract by contract: each member function, and the relayed
 * action it is (so the relay policy's `actions` list holds for UserOps too), or null where no relayed action
 * matches (an approval inside a batch, a gift, a perk, the account's own passkeys). Everything else, an admin
 * function, a view, another contract, is refused before any simulation: the brand pays for its program, not for
 * whatever a member account can call.
 */
const MEMBER_FUNCTIONS = {
  market: {
    abi: marketAbi,
    functions: {
      buy: "buy",
      acceptOffer: "acceptOffer",
      swap: "swap",
      cancelListing: "cancel",
      cancelOffer: "cancel",
      cancelSwap: "cancel",
      incrementNonce: "cancelAll",
    },
  },
  points: { abi: pointsAbi, functions: { approve: null, transfer: null, redeem: "redeem" } },
  stamps: {
    abi: stampsAbi,
    functions: { setApprovalForAll: "marketApproval", approve: null, safeTransferFrom: null, transferFrom: null },
  },
  rewards: { abi: rewardsAbi, functions: { redeem: "redeemVoucher", claimPerk: null, claimPerkWithStamp: null } },
  consent: {
    abi: consentRegistryAbi,
    functions: {
      link: "consentChange",
      changePurposes: "consentChange",
      revokeAll: "consentChange",
      unlink: "consentChange",
      changeGuardian: "guardianChange",
      guardianWithdraw: "guardianWithdrawal",
      comeOfAge: null,
    },
  },
} as const satisfies Record<
  keyof Omit<Program, "chainId" | "deployBlock">,
  { abi: Abi; functions: Record<string, RelayAction | null> }
>;

/** The account's own functions a UserOp may call on itself: its passkeys and its recovery, never a nested batch. */
const ACCOUNT_FUNCTIONS = ["addPasskey", "removePasskey", "setRecoverer", "cancelRecovery"] as const;

/** One call of the batch, as the policy reads it. */
export interface ProgramCall {
  call: MemberAccountCall;
  /** The contract called: one of the program's, or the account itself. */
  contract: keyof typeof MEMBER_FUNCTIONS | "account";
  functionName: string;
  /** The relayed action it is, or null. */
  action: RelayAction | null;
}

const refuse = (message: string) => new ServerRefusal(422, "outside_program", message);

/**
 * The calls of a UserOp's `callData`, each a member function of one of the program's contracts (or the account's
 * own passkey and recovery functions), sending no coin: anything else is refused with 422 `outside_program`.
 *
 * @example
 * const calls = programCallsOf(program, userOperation.sender, userOperation.callData);
 */
export function programCallsOf(program: Program, sender: Address, callData: Hex): ProgramCall[] {
  let calls: MemberAccountCall[];
  try {
    calls = decodeMemberAccountCalls(callData);
  } catch {
    throw refuse("The UserOp's callData is not a member account batch (execute in ERC-7821 batch mode).");
  }
  if (calls.length === 0) throw new ServerRefusal(422, "changes_nothing", "The UserOp's batch is empty: it changes nothing.");
  return calls.map((call, index) => {
    const where = `Call ${index + 1} of the batch`;
    if ((call.value ?? 0n) !== 0n) throw refuse(`${where} sends coin: a member's sponsored UserOp never moves the chain's coin.`);
    const data = call.data ?? "0x";
    if (isAddressEqual(call.to, sender)) {
      const decoded = decodeOrUndefined(memberAccountAbi, data);
      if (!decoded || !(ACCOUNT_FUNCTIONS as readonly string[]).includes(decoded.functionName))
        throw refuse(
          `${where} calls the account itself with ${selectorOf(data)}: only ${ACCOUNT_FUNCTIONS.join(", ")} are sponsored.`,
        );
      return { call, contract: "account", functionName: decoded.functionName, action: null };
    }
    const contract = (Object.keys(MEMBER_FUNCTIONS) as (keyof typeof MEMBER_FUNCTIONS)[]).find((name) =>
      isAddressEqual(program[name], call.to),
    );
    if (!contract)
      throw refuse(`${where} calls ${call.to}, which is not a contract of this program: the brand pays only for its own.`);
    const { abi, functions } = MEMBER_FUNCTIONS[contract];
    const decoded = decodeOrUndefined(abi, data);
    const actions = functions as Record<string, RelayAction | null>;
    if (!decoded || !(decoded.functionName in actions))
      throw refuse(
        `${where} calls ${decoded?.functionName ?? selectorOf(data)} on the program's ${contract}, which is not a member's action: sponsored are ${Object.keys(actions).join(", ")}.`,
      );
    return { call, contract, functionName: decoded.functionName, action: actions[decoded.functionName] ?? null };
  });
}

function decodeOrUndefined(abi: Abi, data: Hex) {
  try {
    return decodeFunctionData({ abi, data });
  } catch {
    return undefined;
  }
}

const selectorOf = (data: Hex) => (data.length >= 10 ? data.slice(0, 10) : "no function");
