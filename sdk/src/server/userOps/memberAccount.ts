import { concat, decodeFunctionData, encodeAbiParameters, isAddressEqual, keccak256, type Address, type Hex } from "viem";
import { entryPoint08Address } from "viem/account-abstraction";
import { call, getCode, readContract } from "viem/actions";
import { memberAccountFactoryAbi } from "../../generated/abis.js";
import type { ReadClient } from "../../program.js";
import { ServerRefusal } from "../errors.js";

/**
 * The runtime code of an EIP-1167 clone of `implementation` with the first passkey's id after it (OpenZeppelin's
 * `Clones.cloneDeterministicWithImmutableArgs`): what a member account made by the factory holds.
 */
export const cloneCodeOf = (implementation: Address, firstKeyId: Hex): Hex =>
  concat(["0x363d3d373d3d3d363d73", implementation, "0x5af43d82803e903d91602b57fd5bf3", firstKeyId]).toLowerCase() as Hex;

/** Whether `code` is a member account clone of `implementation` (whatever its first passkey). */
const isCloneOf = (code: Hex, implementation: Address): boolean => {
  const prefix = cloneCodeOf(implementation, "0x").toLowerCase();
  return code.length === prefix.length + 64 && code.toLowerCase().startsWith(prefix);
};

/** What the check of a UserOp's sender reads. */
export interface SenderContext {
  client: ReadClient;
  /** The program's MemberAccountFactory. */
  factory: Address;
  /** The factory's implementation (read once). */
  implementation: () => Promise<Address>;
}

/** The UserOp's fields the sender check reads. */
export interface SenderFields {
  sender: Address;
  factory?: Address | undefined;
  factoryData?: Hex | undefined;
}

const notMember = (message: string) => new ServerRefusal(422, "not_member_account", message);

/**
 * Checks that the UserOp's sender is a member account of this program's factory, and answers the code to simulate
 * it with when it does not exist yet. A new account must come from the program's factory, with `createAccount`
 * arguments that the factory places at the sender's address; an existing one must be a clone of the factory's
 * implementation. (A clone made by hand of the same implementation runs the same code under the same rules: it
 * gains nothing the factory would not give anyone.)
 */
export async function checkSender(
  { client, factory, implementation }: SenderContext,
  { sender, factory: opFactory, factoryData }: SenderFields,
): Promise<{ deployed: boolean; code: Hex }> {
  const code = (await getCode(client, { address: sender })) ?? "0x";
  const implementationAddress = await implementation();
  if (opFactory === undefined) {
    if (code === "0x")
      throw notMember(
        `${sender} has no code and the UserOp deploys nothing: a new member account comes with the program's factory and its data.`,
      );
    if (!isCloneOf(code, implementationAddress))
      throw notMember(
        `${sender} is not a member account of this program (its code is not the factory's account): the brand sponsors its own members' accounts.`,
      );
    return { deployed: true, code };
  }
  if (!isAddressEqual(opFactory, factory))
    throw notMember(`The UserOp deploys its account with ${opFactory}, not this program's factory ${factory}.`);
  if (code !== "0x") throw notMember(`${sender} exists already: a UserOp deploying it again would be refused (AA10).`);
  let args: readonly [Hex, Hex, Address, Hex];
  try {
    const decoded = decodeFunctionData({ abi: memberAccountFactoryAbi, data: factoryData ?? "0x" });
    if (decoded.functionName !== "createAccount") throw new Error(decoded.functionName);
    args = decoded.args;
  } catch {
    throw notMember("The UserOp's factoryData is not the factory's createAccount(qx, qy, recoverer, salt).");
  }
  const predicted = await readContract(client, { address: factory, abi: memberAccountFactoryAbi, functionName: "predict", args });
  if (!isAddressEqual(predicted, sender))
    throw notMember(`The factory would create ${predicted} with this data, not the UserOp's sender ${sender}.`);
  const firstKeyId = keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "bytes32" }], [args[0], args[1]]));
  return { deployed: false, code: cloneCodeOf(implementationAddress, firstKeyId) };
}

/**
 * Runs the UserOp's `callData` on the account as the EntryPoint would after validation (an `eth_call` from the
 * EntryPoint's address; a new account's code put in place for the call), so a batch that would revert throws its
 * revert here and nothing is signed.
 *
 * @example
 * await simulateCalls(client, { sender, callData, deployed: false, code: cloneCodeOf(implementation, firstKeyId) });
 */
export async function simulateCalls(
  client: ReadClient,
  { sender, callData, deployed, code }: { sender: Address; callData: Hex; deployed: boolean; code: Hex },
): Promise<void> {
  await call(client, {
    account: entryPoint08Address,
    to: sender,
    data: callData,
    ...(deployed ? {} : { stateOverride: [{ address: sender, code }] }),
  });
}
