import {
  fetchLogs,
  memberAccountAbi,
  memberAccountFactoryAbi,
  passkeyCoordinates,
  passkeyId,
  type MemberAccountCall,
} from "@punchcard/sdk";
import {
  concat,
  encodeFunctionData,
  getAbiItem,
  getAddress,
  parseEventLogs,
  size,
  slice,
  toEventSelector,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { getBlockNumber, getCode, readContract } from "viem/actions";

// A card's passkeys as its account holds them (the account's events), and the calls that add or remove one. The
// account itself checks that only its passkeys sign (the EntryPoint calls it); the program server sponsors these
// calls like any member action, and refuses one that would revert (removing the last passkey).
//
// The events are read from the program's deployment block (`Program.deployBlock`), never from block 0: the factory
// is deployed for the program after it, so no card has an event before, and a chain's history before the program
// may be millions of blocks that a provider refuses to search in one request. The range is read in bounded steps
// (the SDK's fetchLogs: a range the provider refuses is halved).

/** One passkey of the account: its id (`keccak256(x ‖ y)`, as the account names it) and its public key. */
export interface AccountPasskey {
  keyId: Hex;
  publicKey: Hex;
}

/** The passkey signing in was on a card of this program, and the card has removed it: it opens nothing now. */
export class PasskeyRemovedError extends Error {
  constructor(readonly account: Address) {
    super(`This passkey was removed from the card ${account}: sign in with another of its passkeys.`);
    this.name = "PasskeyRemovedError";
  }
}

const passkeyAdded = getAbiItem({ abi: memberAccountAbi, name: "PasskeyAdded" });
const passkeyRemoved = getAbiItem({ abi: memberAccountAbi, name: "PasskeyRemoved" });
const [addedTopic, removedTopic] = [toEventSelector(passkeyAdded), toEventSelector(passkeyRemoved)];

/**
 * The passkey events of `accounts` (any account when empty: `eth_getLogs` with no address filter), from `fromBlock`
 * to the head, in chain order, filtered by `topics` (the event, then the keyId). A log that only borrows the event's
 * topic (its data not the event's) is dropped by the strict decoding.
 */
async function passkeyEvents(
  client: PublicClient,
  { accounts, fromBlock, topics }: { accounts: Address[]; fromBlock: bigint; topics: (Hex | Hex[] | null)[] },
) {
  // The head as it is now: viem would answer a head up to `cacheTime` old, without a passkey just added.
  const toBlock = await getBlockNumber(client, { cacheTime: 0 });
  const logs = await fetchLogs(client, { addresses: accounts, fromBlock, toBlock, topics });
  return parseEventLogs({ abi: [passkeyAdded, passkeyRemoved], logs, strict: true });
}

/**
 * The account's passkeys, oldest first: those its `PasskeyAdded` events name and no `PasskeyRemoved` took away,
 * read from `fromBlock` (the program's deployment block). An account not deployed yet has one, the passkey it will
 * be made for.
 *
 * @example
 * const keys = await accountPasskeys(client, card.address, card.firstPublicKey ?? card.publicKey, program.deployBlock);
 */
export async function accountPasskeys(
  client: PublicClient,
  account: Address,
  firstPublicKey: Hex,
  fromBlock: bigint,
): Promise<AccountPasskey[]> {
  const code = await getCode(client, { address: account });
  if (!code || code === "0x") return [{ keyId: passkeyId(firstPublicKey), publicKey: firstPublicKey }];
  const logs = await passkeyEvents(client, { accounts: [account], fromBlock, topics: [[addedTopic, removedTopic]] });
  const keys = new Map<Hex, Hex>();
  for (const log of logs) {
    if (log.eventName === "PasskeyAdded") keys.set(log.args.keyId, concat([log.args.qx, log.args.qy]));
    else keys.delete(log.args.keyId);
  }
  return [...keys].map(([keyId, publicKey]) => ({ keyId, publicKey }));
}

/**
 * Refuses a card whose account no longer holds its passkey (removed from another device): signing in with it would
 * open a card whose every action the account refuses. A card not deployed yet holds the passkey it is made for.
 *
 * @example
 * await requirePasskeyHeld(client, card); // throws PasskeyRemovedError
 */
export async function requirePasskeyHeld(client: PublicClient, card: { address: Address; publicKey: Hex }): Promise<void> {
  const code = await getCode(client, { address: card.address });
  if (!code || code === "0x") return;
  const keyId = passkeyId(card.publicKey);
  const holds = await readContract(client, {
    address: card.address,
    abi: memberAccountAbi,
    functionName: "isPasskey",
    args: [keyId],
  });
  if (!holds) throw new PasskeyRemovedError(card.address);
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
 * The account of the factory that holds `publicKey` as a passkey (a second device's, or the first's of a deployed
 * card), found by the account's `PasskeyAdded` event since `fromBlock` (the program's deployment block): only an
 * account that is the factory's clone and still holds the key is taken (anyone can emit an event), and its first
 * passkey comes from its own first event. Undefined if no account of the factory ever added it; PasskeyRemovedError
 * if accounts of the factory added it and none holds it now (the member removed it).
 *
 * @example
 * const added = await findAccountOfAddedPasskey(client, { factory, fromBlock: program.deployBlock }, publicKey);
 */
export async function findAccountOfAddedPasskey(
  client: PublicClient,
  { factory, fromBlock }: { factory: Address; fromBlock: bigint },
  publicKey: Hex,
): Promise<{ address: Address; firstPublicKey: Hex } | undefined> {
  const keyId = passkeyId(publicKey);
  const logs = await passkeyEvents(client, { accounts: [], fromBlock, topics: [addedTopic, keyId] });
  if (logs.length === 0) return undefined;
  const implementation = await readContract(client, {
    address: factory,
    abi: memberAccountFactoryAbi,
    functionName: "implementation",
  });
  const clonePrefix = concat([CLONE_HEAD, implementation, CLONE_TAIL]).toLowerCase();
  let removedFrom: Address | undefined;
  for (const address of new Set(logs.map((log) => getAddress(log.address)))) {
    const code = await getCode(client, { address });
    if (!code || size(code) !== 45 + 32 || !code.toLowerCase().startsWith(clonePrefix)) continue;
    const holds = await readContract(client, { address, abi: memberAccountAbi, functionName: "isPasskey", args: [keyId] });
    if (!holds) {
      removedFrom = address;
      continue;
    }
    const firstKeyId = slice(code, 45);
    const [first] = await passkeyEvents(client, { accounts: [address], fromBlock, topics: [addedTopic, firstKeyId] });
    // The card keeps the checksummed address, as the factory's prediction gives it.
    if (first?.eventName === "PasskeyAdded") return { address, firstPublicKey: concat([first.args.qx, first.args.qy]) };
  }
  if (removedFrom) throw new PasskeyRemovedError(removedFrom);
  return undefined;
}
