import {
  concat,
  encodeAbiParameters,
  encodeFunctionData,
  keccak256,
  toHex,
  zeroAddress,
  zeroHash,
  type Address,
  type Hex,
  type NonceManager,
  type TypedData,
  type TypedDataDefinition,
} from "viem";
import {
  entryPoint08Abi,
  entryPoint08Address,
  getUserOperationHash,
  toSmartAccount,
  toWebAuthnAccount,
  type SmartAccount,
  type SmartAccountImplementation,
  type ToWebAuthnAccountParameters,
  type WebAuthnAccount,
} from "viem/account-abstraction";
import { getChainId } from "viem/actions";
import { hashMessage, hashTypedData, wrapTypedDataSignature } from "viem/experimental/erc7739";
import { memberAccountAbi, memberAccountFactoryAbi } from "../generated/abis.js";
import { decodeMemberAccountCalls, encodeMemberAccountCalls } from "./memberAccountCalls.js";
import { encodePasskeySignature, passkeyCoordinates } from "./passkeySignature.js";
import { predictMemberAccount } from "./predictMemberAccount.js";

/** The member account's EIP-712 domain name and version (its ERC-7739 signatures are made under it). */
export const MEMBER_ACCOUNT_DOMAIN = { name: "Punchcard Member Account", version: "1" } as const;

export type ToMemberAccountParameters = {
  /** A client of the chain (reads the factory and the nonce). */
  client: MemberAccountImplementation["client"];
  /** The passkey that signs: the WebAuthn credential's id and public key. */
  credential: ToWebAuthnAccountParameters["credential"];
  /** The program's MemberAccountFactory. */
  factory: Address;
  /**
   * The account's first passkey, if not `credential` (a member signing from their second device): the factory
   * needs it to find or create the account.
   */
  firstPublicKey?: Hex | undefined;
  /** The account's recoverer (default: none). */
  recoverer?: Address | undefined;
  /** The account's salt (default zero). */
  salt?: Hex | undefined;
  /** The account's address, when known (skips a read of the factory). */
  address?: Address | undefined;
  /** The WebAuthn `navigator.credentials.get` to use (a test's software authenticator; the browser's by default). */
  getFn?: ToWebAuthnAccountParameters["getFn"];
  /** The relying party id the passkey was made for (default: the page's host). */
  rpId?: ToWebAuthnAccountParameters["rpId"];
};

export type MemberAccountImplementation = SmartAccountImplementation<
  typeof entryPoint08Abi,
  "0.8",
  { abi: typeof memberAccountAbi; factory: { abi: typeof memberAccountFactoryAbi; address: Address }; owner: WebAuthnAccount }
>;

export type ToMemberAccountReturnType = SmartAccount<MemberAccountImplementation>;

/** A stub assertion of a typical passkey's size, for gas estimates: 37 bytes of authenticator data, ~130 of JSON. */
const STUB_AUTH = encodeAbiParameters(
  [{ type: "bytes32" }, { type: "bytes32" }, { type: "uint256" }, { type: "uint256" }, { type: "bytes" }, { type: "string" }],
  [
    toHex(1n, { size: 32 }),
    toHex(1n, { size: 32 }),
    23n,
    1n,
    concat([keccak256("0x"), "0x0500000000"]),
    `{"type":"webauthn.get","challenge":"${"A".repeat(43)}","origin":"https://wallet.example","crossOrigin":false}`,
  ],
);

/**
 * Nonce key 0 for every UserOp (a member's UserOps go one after another): viem's default, a new key per UserOp (the
 * time) so UserOps can run in parallel, makes the EntryPoint write a fresh nonce slot each time, 20,000 gas more per
 * UserOp. A caller that wants parallel UserOps passes `getNonce({ key })`.
 */
const sequentialNonces: NonceManager = {
  consume: async () => 0,
  increment: () => undefined,
  get: async () => 0,
  reset: () => undefined,
};

/**
 * A member's passkey account as a viem smart account (ERC-4337, EntryPoint v0.8): hand it to a bundler client
 * (`sendUserOperation`) and every call the member makes goes through it, signed by the passkey, deployed by the
 * first UserOp. Messages and typed data are signed the ERC-7739 way, so the Market checks a listing through ERC-1271
 * and no other app can replay the signature.
 *
 * @example
 * const account = await toMemberAccount({ client, credential, factory, recoverer: brandRecovery });
 * const hash = await bundlerClient.sendUserOperation({ account, calls: [{ to: market, data }], paymaster });
 */
export async function toMemberAccount(parameters: ToMemberAccountParameters): Promise<ToMemberAccountReturnType> {
  const { client, credential, factory, getFn, rpId, recoverer = zeroAddress, salt = zeroHash } = parameters;
  const owner = toWebAuthnAccount({ credential, getFn, rpId });
  const firstPublicKey = parameters.firstPublicKey ?? credential.publicKey;
  const first = passkeyCoordinates(firstPublicKey);
  const address =
    parameters.address ?? (await predictMemberAccount(client, { factory, publicKey: firstPublicKey, recoverer, salt }));
  const entryPoint = { abi: entryPoint08Abi, address: entryPoint08Address, version: "0.8" } as const;
  const chainId = async (): Promise<number> => client.chain?.id ?? (await getChainId(client));
  const verifierDomain = async () => ({
    ...MEMBER_ACCOUNT_DOMAIN,
    chainId: await chainId(),
    verifyingContract: address,
    salt: zeroHash,
  });
  const signHash = async (hash: Hex) =>
    encodePasskeySignature({ publicKey: credential.publicKey, assertion: await owner.sign({ hash }) });

  return toSmartAccount<MemberAccountImplementation>({
    client,
    entryPoint,
    extend: { abi: memberAccountAbi, factory: { abi: memberAccountFactoryAbi, address: factory }, owner },
    nonceKeyManager: sequentialNonces,
    async decodeCalls(data) {
      return decodeMemberAccountCalls(data);
    },
    async encodeCalls(calls) {
      return encodeMemberAccountCalls(calls);
    },
    async getAddress() {
      return address;
    },
    async getFactoryArgs() {
      const factoryData = encodeFunctionData({
        abi: memberAccountFactoryAbi,
        functionName: "createAccount",
        args: [first.x, first.y, recoverer, salt],
      });
      return { factory, factoryData };
    },
    async getStubSignature() {
      return concat([first.x, first.y, STUB_AUTH]);
    },
    async signMessage({ message }) {
      return signHash(hashMessage({ message, verifierDomain: await verifierDomain() }));
    },
    async signTypedData(typedData) {
      const { domain, types, primaryType, message } = typedData as TypedDataDefinition<TypedData, string>;
      const hash = hashTypedData({ domain, types, primaryType, message, verifierDomain: await verifierDomain() });
      return wrapTypedDataSignature({ domain, types, primaryType, message, signature: await signHash(hash) });
    },
    async signUserOperation(userOperation) {
      const { chainId: opChainId, ...rest } = userOperation;
      const hash = getUserOperationHash({
        chainId: opChainId ?? (await chainId()),
        entryPointAddress: entryPoint.address,
        entryPointVersion: "0.8",
        userOperation: { ...rest, sender: address },
      });
      return signHash(hash);
    },
  });
}
