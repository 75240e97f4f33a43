/**
 * What every gas benchmark shares: the row it reports, sending and measuring transactions, the opcode profile of
 * one transaction, fresh member addresses, and viem clients over Hardhat's in-process network for our contracts
 * (driven through the SDK's typed ABIs; the peers are driven through ethers, from the bench artifacts).
 */
import hre from "hardhat";
import {
  createPublicClient,
  createWalletClient,
  custom,
  getAddress,
  keccak256,
  numberToHex,
  type Address,
  type Hash,
  type PublicClient,
  type WalletClient,
  type Account,
  type Chain,
  type Transport,
  type AccessList,
  type Hex,
} from "viem";
import { hardhat } from "viem/chains";
import { calldataGas, concatBytes, hexBytes } from "./floor";

/** EIP-7825 (Fusaka): most gas one transaction may use. */
export const TX_GAS_CAP = 16_777_216n;

export interface GasRow {
  group: "stamps" | "points" | "trade" | "trade-call";
  /** What was done, e.g. "mint, fresh member" or "batch of 100, per member". */
  operation: string;
  /** Who did it: "Punchcard" or the peer's name. */
  subject: string;
  /** Gas per member (or per trade), from receipts, base cost included (group "trade-call": call gas only). */
  gas: number;
  transactions: number;
  /** Largest single transaction of the measurement. */
  maxTxGas: number;
  floor: number;
  note?: string;
  /** Opcode breakdown of the (last) transaction, for single-transaction operations. */
  profile?: GasProfile;
}

/** Where a transaction's gas went, from an opcode trace: the parts the EVM prices exactly per opcode. */
export interface GasProfile {
  calldata: number;
  storageReads: { count: number; cold: number; gas: number };
  storageWrites: { count: number; gas: number };
  logs: { count: number; gas: number };
  hashing: { count: number; gas: number };
  /** CALL, STATICCALL, DELEGATECALL (their cost is not split from the gas they forward, so only counted). */
  calls: number;
  /** Everything else: 21,000 base excluded, calls' own costs, memory, arithmetic, stack, jumps. */
  rest: number;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- the peers come from the bench artifacts, which have no types */
/** A peer's contract, deployed from the bench artifacts through ethers: untyped (only ours are typed, by the SDK). */
export type Peer = any;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Deploys a peer (a bench fixture or Seaport) from `from`, one of the unlocked accounts. */
export async function deployPeer(name: string, args: unknown[], from: Address): Promise<Peer> {
  const factory = await hre.ethers.getContractFactory(name, await hre.ethers.getSigner(from));
  const contract = await factory.deploy(...args);
  await contract.waitForDeployment();
  return contract;
}

/** Sends one transaction and returns its hash (a viem write, or an ethers call through {@link sentBy}). */
export type Send = () => Promise<Hash>;

/** An ethers contract call as a {@link Send}: the peers are driven through ethers. */
export function sentBy(call: () => Promise<{ hash: string }>): Send {
  return async () => (await call()).hash as Hash;
}

/** Clients over the in-process network: one public client, and a wallet client per unlocked Hardhat account. */
export interface BenchChain {
  publicClient: PublicClient;
  wallet(account: Address): WalletClient<Transport, Chain, Account>;
  accounts: Address[];
}

export async function benchChain(): Promise<BenchChain> {
  const transport = custom(hre.network.provider);
  const publicClient = createPublicClient({ chain: hardhat, transport }) as PublicClient;
  const accounts = ((await hre.network.provider.request({ method: "eth_accounts" })) as string[]).map((a) => getAddress(a));
  return {
    publicClient,
    wallet: (account) => createWalletClient({ chain: hardhat, transport, account }),
    accounts,
  };
}

export interface Measured {
  /** Sum of the receipts' gasUsed. */
  total: number;
  max: number;
  count: number;
  /** The last transaction. */
  hash: Hash;
}

/** Sends each transaction in turn and sums the gas of their receipts; a failed one stops the benchmark. */
export async function gasOf(chain: BenchChain, ...sends: Send[]): Promise<Measured> {
  let total = 0;
  let max = 0;
  let hash = "0x" as Hash;
  for (const send of sends) {
    hash = await send();
    const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} failed`);
    const used = Number(receipt.gasUsed);
    total += used;
    max = Math.max(max, used);
  }
  return { total, max, count: sends.length, hash };
}

/** EIP-2930's price of an access list: 2,400 per address and 1,900 per storage key. */
export function accessListGas(accessList: AccessList): number {
  return accessList.reduce((gas, entry) => gas + 2_400 + 1_900 * entry.storageKeys.length, 0);
}

/**
 * The gas a transaction's call itself spent: its receipt's gas less the 21,000 base, the calldata (EIP-2028) and its
 * access list (EIP-2930), if it had one.
 */
export async function callGasOf(chain: BenchChain, measured: Measured): Promise<number> {
  const tx = await chain.publicClient.getTransaction({ hash: measured.hash });
  return measured.total - 21_000 - calldataGas(hexBytes(tx.input)) - accessListGas(tx.accessList ?? []);
}

/**
 * Every account and storage slot a transaction touches, as an EIP-2930 access list: sent with it, the call finds them
 * all warm, which is what a gas measurement inside one Foundry test (Payment Processor's method) sees. Found by
 * sending the transaction once inside a snapshot, walking its opcode trace (the storage context of each call frame,
 * SLOAD/SSTORE keys, the targets of calls and account reads), and reverting the snapshot.
 */
export async function accessListOf(chain: BenchChain, send: Send): Promise<AccessList> {
  const provider = hre.network.provider;
  const snapshot = (await provider.send("evm_snapshot", [])) as string;
  const hash = await send();
  await chain.publicClient.waitForTransactionReceipt({ hash });
  const tx = await chain.publicClient.getTransaction({ hash });
  const trace = (await provider.send("debug_traceTransaction", [
    hash,
    { disableStorage: true, disableMemory: true, disableStack: false },
  ])) as { structLogs: Array<{ op: string; depth: number; stack: string[] }> };
  await provider.send("evm_revert", [snapshot]);

  const slots = new Map<Address, Set<Hex>>();
  const touch = (word: string): Address => {
    const address = getAddress(`0x${word.slice(-40)}`);
    if (!slots.has(address)) slots.set(address, new Set());
    return address;
  };
  // frames[d - 1]: the account whose storage the frame at depth d reads and writes.
  const frames: Address[] = [touch(tx.to!)];
  let next: Address | undefined;
  for (const step of trace.structLogs) {
    frames.length = Math.min(frames.length, step.depth);
    if (frames.length < step.depth) frames.push(next!);
    const here = frames[step.depth - 1]!;
    const arg = (i: number) => step.stack[step.stack.length - 1 - i]!;
    if (step.op === "SLOAD" || step.op === "SSTORE") slots.get(here)!.add(`0x${arg(0).padStart(64, "0")}`);
    else if (step.op === "CALL" || step.op === "STATICCALL") next = touch(arg(1));
    else if (step.op === "DELEGATECALL" || step.op === "CALLCODE") {
      touch(arg(1));
      next = here; // runs the target's code on this frame's storage
    } else if (["BALANCE", "EXTCODESIZE", "EXTCODEHASH", "EXTCODECOPY"].includes(step.op)) touch(arg(0));
  }
  // Precompiles are always warm: listing them would only cost.
  return [...slots]
    .filter(([address]) => BigInt(address) > 0x11n)
    .map(([address, keys]) => ({ address, storageKeys: [...keys] }));
}

export async function profileOf(chain: BenchChain, hash: Hash, gasUsed: number): Promise<GasProfile> {
  const tx = await chain.publicClient.getTransaction({ hash });
  const trace = (await hre.network.provider.send("debug_traceTransaction", [
    hash,
    { disableStorage: true, disableMemory: true, disableStack: true },
  ])) as { structLogs: Array<{ op: string; gasCost: number }> };
  const profile: GasProfile = {
    calldata: calldataGas(hexBytes(tx.input)),
    storageReads: { count: 0, cold: 0, gas: 0 },
    storageWrites: { count: 0, gas: 0 },
    logs: { count: 0, gas: 0 },
    hashing: { count: 0, gas: 0 },
    calls: 0,
    rest: 0,
  };
  for (const step of trace.structLogs) {
    if (step.op === "SLOAD") {
      profile.storageReads.count++;
      if (step.gasCost >= 2_100) profile.storageReads.cold++;
      profile.storageReads.gas += step.gasCost;
    } else if (step.op === "SSTORE") {
      profile.storageWrites.count++;
      profile.storageWrites.gas += step.gasCost;
    } else if (step.op.startsWith("LOG")) {
      profile.logs.count++;
      profile.logs.gas += step.gasCost;
    } else if (step.op === "KECCAK256" || step.op === "SHA3") {
      profile.hashing.count++;
      profile.hashing.gas += step.gasCost;
    } else if (step.op === "CALL" || step.op === "STATICCALL" || step.op === "DELEGATECALL") {
      profile.calls++;
    }
  }
  profile.rest =
    gasUsed -
    21_000 -
    profile.calldata -
    profile.storageReads.gas -
    profile.storageWrites.gas -
    profile.logs.gas -
    profile.hashing.gas;
  return profile;
}

// A counter, not Math.random: the addresses are the same in every run, so reports compare.
let freshCounter = 0;

/** Addresses that never held anything, random-looking (20 non-zero bytes, like real wallets). */
export function fresh(count: number): Address[] {
  return Array.from({ length: count }, () => getAddress(keccak256(numberToHex(++freshCounter, { size: 32 })).slice(0, 42)));
}

/** A fresh address the in-process network lets us send from (impersonated), holding `coin` wei. */
export async function freshAccount(coin: bigint): Promise<Address> {
  const [address] = fresh(1) as [Address];
  await hre.network.provider.send("hardhat_impersonateAccount", [address]);
  await hre.network.provider.send("hardhat_setBalance", [address, numberToHex(coin)]);
  return address;
}

export function addressBytes(addresses: string[]): Uint8Array {
  return concatBytes(...addresses.map(hexBytes));
}

/** Progress output with the seconds since the benchmark started. */
export function progress(): (line: string) => void {
  const started = Date.now();
  return (line) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`);
}
