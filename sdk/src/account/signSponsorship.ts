import { concat, hexToBigInt, slice, toHex, type Address, type Hex, type LocalAccount } from "viem";
import { toPackedUserOperation, type UserOperation } from "viem/account-abstraction";

/** The BrandPaymaster's EIP-712 domain name and version. */
export const BRAND_PAYMASTER_DOMAIN = { name: "Punchcard Paymaster", version: "1" } as const;

/** OpenZeppelin `PaymasterSigner`'s `UserOperationRequest`: the UserOp without its signatures, and the window. */
export const userOperationRequestTypes = {
  UserOperationRequest: [
    { name: "sender", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "initCode", type: "bytes" },
    { name: "callData", type: "bytes" },
    { name: "accountGasLimits", type: "bytes32" },
    { name: "preVerificationGas", type: "uint256" },
    { name: "gasFees", type: "bytes32" },
    { name: "paymasterVerificationGasLimit", type: "uint256" },
    { name: "paymasterPostOpGasLimit", type: "uint256" },
    { name: "validAfter", type: "uint48" },
    { name: "validUntil", type: "uint48" },
  ],
} as const;

export type SignSponsorshipParameters = {
  /** The program server's sponsor key (the BrandPaymaster's `sponsor`). */
  sponsor: LocalAccount;
  /** The BrandPaymaster. */
  paymaster: Address;
  chainId: number;
  /** The UserOp to pay for, complete but for its `signature` and `paymasterData` (both outside the hash). */
  userOperation: Omit<UserOperation<"0.8">, "signature" | "paymaster" | "paymasterData">;
  /** First second the sponsorship holds (unix time; 0 for now). */
  validAfter?: number | undefined;
  /** Last second the sponsorship holds (unix time): short, so an unsent UserOp does not stay payable for long. */
  validUntil: number;
};

/** The `paymasterData` to put in the UserOp: `validAfter (6) ‖ validUntil (6) ‖ the sponsor's signature`. */
export type SignSponsorshipReturnType = Hex;

/**
 * The program server's promise to pay for one UserOp: the sponsor key signs the UserOp (every field but the
 * signatures) and a validity window, and the BrandPaymaster pays for that UserOp alone, only inside the window.
 * Apply the sponsorship policy first: this signs whatever it is given.
 *
 * @example
 * const paymasterData = await signSponsorship({ sponsor, paymaster, chainId, userOperation, validUntil: now + 120 });
 */
export async function signSponsorship({
  sponsor,
  paymaster,
  chainId,
  userOperation,
  validAfter = 0,
  validUntil,
}: SignSponsorshipParameters): Promise<SignSponsorshipReturnType> {
  const packed = toPackedUserOperation({ ...userOperation, paymaster, paymasterData: "0x", signature: "0x" });
  // paymasterAndData: paymaster (20) ‖ verificationGasLimit (16) ‖ postOpGasLimit (16) ‖ data.
  const paymasterGasLimits = (start: number) => hexToBigInt(slice(packed.paymasterAndData, start, start + 16));
  const signature = await sponsor.signTypedData({
    domain: { ...BRAND_PAYMASTER_DOMAIN, chainId, verifyingContract: paymaster },
    types: userOperationRequestTypes,
    primaryType: "UserOperationRequest",
    message: {
      sender: packed.sender,
      nonce: packed.nonce,
      initCode: packed.initCode,
      callData: packed.callData,
      accountGasLimits: packed.accountGasLimits,
      preVerificationGas: packed.preVerificationGas,
      gasFees: packed.gasFees,
      paymasterVerificationGasLimit: paymasterGasLimits(20),
      paymasterPostOpGasLimit: paymasterGasLimits(36),
      validAfter,
      validUntil,
    },
  });
  return concat([toHex(validAfter, { size: 6 }), toHex(validUntil, { size: 6 }), signature]);
}
