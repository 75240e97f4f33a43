import { memberAccountAbi, memberAccountFactoryAbi, passkeyCoordinates, passkeyId, type MemberAccountCall } from "@punchcard/sdk";
import { concat, encodeFunctionData, getAbiItem, getAddress, size, slice, type Address, type Hex, type PublicClient } from "viem";
import { getCode, getLogs, readContract } from "viem/actions";

// A card's passkeys as its account holds them (the account's events), and the calls that add or remove one. The
// account itself checks that only its passkeys sign (the EntryPoint calls it); the program server sponsors these
// calls like any member action, and refuses one that would revert (removing the last passkey).

/** One passkey of the account: its id (`keccak256(x ‖ y)`, as the account names it) and its public key. */
export interface AccountPasskey {
  keyId: Hex;
  publicKey: Hex;
}

const passkeyAdded = getAbiItem({ abi: memberAccountAbi, name: "PasskeyAdded" });
const passkeyRemoved = getAbiItem({ abi: memberAccountAbi, name: "PasskeyRemoved" });

/**
 * The account's passkeys, oldest first: those its `PasskeyAdded` events name and no `PasskeyRemoved` took away. An
 * account not deployed yet has one, the passkey it will be made for.
 */
export async function accountPasskeys(client: PublicClient, account: Address, firstPublicKey: Hex): Promise<AccountPasskey[]> {
  const code = await getCode(client, { address: account });
  if (!code || code === "0x") return [{ keyId: passkeyId(firstPublicKey), publicKey: firstPublicKey }];
  const logs = await getLogs(client, { address: account, events: [passkeyAdded, passkeyRemoved], fromBlock: 0n, strict: true });
  const keys = new Map<Hex, Hex>();
  for (const log of logs) {
    if (log.eventName === "PasskeyAdded") keys.set(log.args.keyId, concat([log.args.qx, log.args.qy]));
    else keys.delete(log.args.keyId);
  }
  return [...keys].map(([keyId, publicKey]) => ({ keyId, publicKey }));
}

/** Adds `publicKey` (a passkey made on another device, or this one) to the account: one call of the account to itself. */
export function addPasskeyCalls(account: Address, publicKey: Hex): MemberAccountCall[] {
  const { x, y } = passkeyCoordinates(publicKey);
  return [{ to: account, data: encodeFunctionData({ abi: memberAccountAbi, functionName: "addPasskey", args: [x, y] }) }];
}

/** Removes the passkey `keyId` from the account (the account refuses to remove its last one). */
export function removePasskeyCalls(account: Address, keyId: Hex): MemberAccountCall[] {
  return [{ to: account, data: encodeFunctionData({ abi: memberAccountAbi, functionName: "removePasskey", args: [keyId] }) }];
}

/** An EIP-1167 clone's code before the implementation's address, and after it (then the first passkey's id). */
const CLONE_HEAD = "0x363d3d373d3d3d363d73";
const CLONE_TAIL = "0x5af43d82803e903d91602b57fd5bf3";

/**
 * The account of the factory that holds `publicKey` as a passkey added after its first (a second device's), found
 * by the account's `PasskeyAdded` event: only an account that is the factory's clone and still holds the key is
 * taken (anyone can emit an event), and its first passkey comes from its own first event. Undefined if none.
 */
export async function findAccountOfAddedPasskey(
  client: PublicClient,
  factory: Address,
  publicKey: Hex,
): Promise<{ address: Address; firstPublicKey: Hex } | undefined> {
  const keyId = passkeyId(publicKey);
  const logs = await getLogs(client, { event: passkeyAdded, args: { keyId }, fromBlock: 0n, strict: true });
  if (logs.length === 0) return undefined;
  const implementation = await readContract(client, {
    address: factory,
    abi: memberAccountFactoryAbi,
    functionName: "implementation",
  });
  const clonePrefix = concat([CLONE_HEAD, implementation, CLONE_TAIL]).toLowerCase();
  for (const address of new Set(logs.map((log) => log.address))) {
    const code = await getCode(client, { address });
    if (!code || size(code) !== 45 + 32 || !code.toLowerCase().startsWith(clonePrefix)) continue;
    const holds = await readContract(client, { address, abi: memberAccountAbi, functionName: "isPasskey", args: [keyId] });
    if (!holds) continue;
    const firstKeyId = slice(code, 45);
    const [first] = await getLogs(client, {
      address,
      event: passkeyAdded,
      args: { keyId: firstKeyId },
      fromBlock: 0n,
      strict: true,
    });
    // A log's address is lower case: the card keeps the checksummed one, as the factory's prediction gives it.
    if (first) return { address: getAddress(address), firstPublicKey: concat([first.args.qx, first.args.qy]) };
  }
  return undefined;
}
