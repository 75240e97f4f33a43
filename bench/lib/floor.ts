/**
 * The theoretical gas floor of an operation, from the EVM's gas schedule (Cancun/Prague/Osaka; none of these
 * forks changed the costs below). A floor counts only what no contract can avoid: the transaction, the bytes it
 * must carry, the storage it must write, the logs a standard requires, the accounts it must touch and the coin it
 * must move. Everything a real contract spends beyond it (ABI decoding, access control, hashing, memory, checks,
 * extra events) is its overhead, so `measured / floor` is the overhead factor.
 *
 * Assumptions (stated again in the report):
 * - `TX_BASE` 21,000 per transaction (a batch pays it once, shared by its members).
 * - Calldata: 4 gas per zero byte, 16 per non-zero byte (EIP-2028), over the smallest payload that carries the
 *   operation: a 4-byte selector, each recipient's 20-byte address, each amount and id in its fewest big-endian
 *   bytes, and for a trade the seller, token id, price, currency, a 4-byte expiry and a 65-byte signature. EIP-7623's
 *   calldata floor (10 / 40 gas per zero / non-zero byte, instead of execution) is checked and never binds here.
 * - Storage (EIP-2929 + EIP-2200 + EIP-3529): a slot written from zero to non-zero costs 22,100 (2,100 cold access
 *   + 20,000); a cold slot changed from one non-zero value to another 5,000 (2,100 + 2,900); a slot already written
 *   in the same transaction 100.
 * - Logs: 375 + 375 per topic + 8 per data byte. ERC-721 `Transfer` has 4 topics and no data (1,875); ERC-20
 *   `Transfer` 3 topics and a 32-byte value (1,756). Only the events a token standard requires are counted.
 * - Accounts: 2,600 per cold account touched beyond the transaction's sender and target (EIP-2929).
 * - Native-coin transfer to an existing account: a CALL with value costs 9,000, of which 2,300 is a stipend the
 *   receiving EOA hands back unused, so 6,700 net; 25,000 more for an account that did not exist.
 * - A signed order needs one `ecrecover` (3,000) and one slot changed to stop its replay (5,000: a counter, or
 *   a status slot if it were zero before, then 22,100).
 */

export const TX_BASE = 21_000;
export const CALLDATA_ZERO_BYTE = 4;
export const CALLDATA_NONZERO_BYTE = 16;
export const FLOOR_ZERO_BYTE = 10;
export const FLOOR_NONZERO_BYTE = 40;
export const NEW_SLOT = 22_100;
export const CHANGED_COLD_SLOT = 5_000;
export const WARM_WRITE = 100;
export const LOG = 375;
export const LOG_TOPIC = 375;
export const LOG_DATA_BYTE = 8;
export const COLD_ACCOUNT = 2_600;
export const VALUE_TRANSFER_NET = 9_000 - 2_300;
export const NEW_ACCOUNT = 25_000;
export const ECRECOVER = 3_000;

export const ERC721_TRANSFER_LOG = LOG + 4 * LOG_TOPIC;
export const ERC20_TRANSFER_LOG = LOG + 3 * LOG_TOPIC + 32 * LOG_DATA_BYTE;

/** What an operation cannot avoid; each field counts occurrences, not gas. */
export interface FloorItems {
  transactions: number;
  /** The smallest calldata that carries the operation (see {@link minimalBytes}). */
  calldata: Uint8Array;
  newSlots?: number;
  changedColdSlots?: number;
  warmWrites?: number;
  /** Gas of the required logs (use {@link ERC721_TRANSFER_LOG}, {@link ERC20_TRANSFER_LOG}). */
  logGas?: number;
  coldAccounts?: number;
  valueTransfers?: number;
  newAccounts?: number;
  ecrecovers?: number;
}

export interface Floor {
  gas: number;
  /** The parts, for the report's assumptions column. */
  parts: Record<string, number>;
}

export function calldataGas(bytes: Uint8Array): number {
  let gas = 0;
  for (const b of bytes) gas += b === 0 ? CALLDATA_ZERO_BYTE : CALLDATA_NONZERO_BYTE;
  return gas;
}

/** EIP-7623's floor: a transaction pays at least 21,000 + 10 / 40 gas per zero / non-zero calldata byte. */
export function eip7623Floor(bytes: Uint8Array): number {
  let gas = TX_BASE;
  for (const b of bytes) gas += b === 0 ? FLOOR_ZERO_BYTE : FLOOR_NONZERO_BYTE;
  return gas;
}

export function floorOf(items: FloorItems): Floor {
  const parts: Record<string, number> = {
    base: items.transactions * TX_BASE,
    calldata: calldataGas(items.calldata),
    storage:
      (items.newSlots ?? 0) * NEW_SLOT + (items.changedColdSlots ?? 0) * CHANGED_COLD_SLOT + (items.warmWrites ?? 0) * WARM_WRITE,
    logs: items.logGas ?? 0,
    accounts: (items.coldAccounts ?? 0) * COLD_ACCOUNT,
    value: (items.valueTransfers ?? 0) * VALUE_TRANSFER_NET + (items.newAccounts ?? 0) * NEW_ACCOUNT,
    ecrecover: (items.ecrecovers ?? 0) * ECRECOVER,
  };
  const execution = Object.values(parts).reduce((a, b) => a + b, 0);
  // EIP-7623: the transaction pays the larger of execution and its calldata floor (one tx's worth here).
  const gas = Math.max(execution, items.transactions * TX_BASE + eip7623Floor(items.calldata) - TX_BASE);
  return { gas, parts };
}

/** A number in its fewest big-endian bytes (at least one). */
export function minimalBytes(value: bigint): Uint8Array {
  const out: number[] = [];
  let v = value;
  do {
    out.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (v > 0n);
  return Uint8Array.from(out);
}

export function hexBytes(hex: string): Uint8Array {
  const clean = hex.startsWith("0x") ? hex.slice(2) : hex;
  return Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16));
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A 4-byte selector: assume all non-zero. */
export const SELECTOR = Uint8Array.from([1, 1, 1, 1]);
