import { readContract } from "viem/actions";
import { zeroHash, type Address, type Client, type Hex } from "viem";
import { memberAccountFactoryAbi } from "../generated/abis.js";
import { passkeyCoordinates } from "./passkeySignature.js";

export type PredictMemberAccountParameters = {
  /** The program's MemberAccountFactory. */
  factory: Address;
  /** The member's first passkey's public key (64 bytes, or 65 with the 0x04 prefix). */
  publicKey: Hex;
  /** Who may propose a recovery (the brand's recovery key, or a guardian the member chose); zero for none. */
  recoverer: Address;
  /** Any 32-byte number, to give one passkey several accounts (default zero). */
  salt?: Hex | undefined;
};

export type PredictMemberAccountReturnType = Address;

/**
 * The address of a member's passkey account before it exists: the brand can reward it at sign-up, and the
 * member's first UserOp deploys it there.
 *
 * @example
 * const account = await predictMemberAccount(client, { factory, publicKey: credential.publicKey, recoverer });
 */
export async function predictMemberAccount(
  client: Client,
  { factory, publicKey, recoverer, salt = zeroHash }: PredictMemberAccountParameters,
): Promise<PredictMemberAccountReturnType> {
  const { x, y } = passkeyCoordinates(publicKey);
  return readContract(client, {
    address: factory,
    abi: memberAccountFactoryAbi,
    functionName: "predict",
    args: [x, y, recoverer, salt],
  });
}
