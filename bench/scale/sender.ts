/**
 * How the scale run sends its writes: through the contracts' real functions (the same calldata the SDK's actions
 * send), but cheaply. An SDK write is simulated, its gas estimated, then sent and waited for in a block of its own, so
 * the chain executes it three times and mines a block per transaction. Here, with automine off, each write is signed
 * locally with a nonce counted here and a gas limit estimated once per kind of write (then reused with a margin),
 * queued, and a batch of them is mined in a few blocks; every receipt is read and a reverted one fails the run. The
 * gas the run reports comes from these receipts, never from the estimates.
 */
import hre from "hardhat";
import {
  formatTransactionReceipt,
  toHex,
  type Address,
  type Hex,
  type RpcTransactionReceipt,
  type TransactionReceipt,
} from "viem";
import type { PrivateKeyAccount } from "viem/accounts";

/** A write: the contract, its calldata, the coin sent. */
export interface Call {
  to: Address;
  data: Hex;
  value?: bigint;
}

/** A queued write: `kind` names the estimate it shares ("mint:150"), `onReceipt` gets its receipt once mined. */
interface Pending {
  hash: Hex;
  kind: string;
  onReceipt: (receipt: TransactionReceipt) => void;
}

/** The estimate's margin: a kind's later writes may touch colder slots than the first one did. */
const MARGIN_PERCENT = 125n;
/** A transaction may use at most 2^24 gas (EIP-7825, Osaka: Hardhat 2.29's default hardfork). */
const TRANSACTION_GAS_CAP = 16_777_216n;
/** The blocks the bench mines hold this much gas, so a flush of a few hundred batches takes a few blocks. */
const BLOCK_GAS_LIMIT = 1_000_000_000n;
/** Fees fixed well above the base fee, which only falls while blocks stay under half full. */
const MAX_FEE = 100_000_000_000n;
const PRIORITY_FEE = 1_000_000_000n;
/** Writes queued before they are mined (their signing overlaps nothing, but one flush reads its receipts in a go). */
const QUEUE = 64;

const rpc = <T>(method: string, params: unknown[] = []) => hre.network.provider.request({ method, params }) as Promise<T>;

export class BlockSender {
  private readonly nonces = new Map<Address, number>();
  private readonly gas = new Map<string, bigint>();
  private pending: Pending[] = [];
  private readonly chainId: number;
  /** Blocks mined and transactions sent, for the run's log. */
  blocks = 0;
  transactions = 0;

  private constructor(chainId: number) {
    this.chainId = chainId;
  }

  /** Turns automine off (until {@link close}) and raises the block gas limit. */
  static async open(client: { getChainId: () => Promise<number> }): Promise<BlockSender> {
    await rpc("evm_setAutomine", [false]);
    await rpc("evm_setBlockGasLimit", [toHex(BLOCK_GAS_LIMIT)]);
    return new BlockSender(await client.getChainId());
  }

  /** Mines what is queued and turns automine back on (the ledger, the book and the SDK's own writes expect it). */
  async close(): Promise<void> {
    await this.flush();
    await rpc("evm_setAutomine", [true]);
  }

  /**
   * Queues `call` from `account`: the first write of a `kind` has its gas estimated on the mined state (the queue is
   * mined first), the later ones reuse it. Mines the queue when it is full. Returns once the write is queued; its
   * receipt goes to `onReceipt` when it is mined.
   */
  async send(
    account: PrivateKeyAccount,
    kind: string,
    call: Call,
    onReceipt: (receipt: TransactionReceipt) => void = () => {},
  ): Promise<void> {
    let gas = this.gas.get(kind);
    if (gas === undefined) {
      await this.flush();
      const estimate = BigInt(
        await rpc<Hex>("eth_estimateGas", [
          { from: account.address, to: call.to, data: call.data, value: toHex(call.value ?? 0n) },
        ]),
      );
      gas = (estimate * MARGIN_PERCENT) / 100n;
      if (gas > TRANSACTION_GAS_CAP) gas = TRANSACTION_GAS_CAP;
      this.gas.set(kind, gas);
    }
    const nonce =
      this.nonces.get(account.address) ?? Number(await rpc<Hex>("eth_getTransactionCount", [account.address, "pending"]));
    this.nonces.set(account.address, nonce + 1);
    const raw = await account.signTransaction({
      chainId: this.chainId,
      type: "eip1559",
      to: call.to,
      data: call.data,
      value: call.value ?? 0n,
      gas,
      nonce,
      maxFeePerGas: MAX_FEE,
      maxPriorityFeePerGas: PRIORITY_FEE,
    });
    const hash = await rpc<Hex>("eth_sendRawTransaction", [raw]);
    this.transactions++;
    this.pending.push({ hash, kind, onReceipt });
    if (this.pending.length >= QUEUE) await this.flush();
  }

  /**
   * Mines blocks until every queued write is in one, then hands each its receipt, in the order they were sent.
   * Throws on a reverted write (the run's figures would be wrong) and on a write no block takes.
   */
  async flush(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    const receipts = new Map<Hex, TransactionReceipt>();
    for (let round = 0; receipts.size < pending.length; round++) {
      if (round > 100) throw new Error(`${pending.length - receipts.size} writes were not mined in 100 blocks`);
      await rpc("evm_mine");
      this.blocks++;
      for (const { hash } of pending) {
        if (receipts.has(hash)) continue;
        const receipt = await rpc<RpcTransactionReceipt | null>("eth_getTransactionReceipt", [hash]);
        if (receipt) receipts.set(hash, formatTransactionReceipt(receipt));
      }
    }
    for (const { hash, kind, onReceipt } of pending) {
      const receipt = receipts.get(hash)!;
      if (receipt.status !== "success")
        throw new Error(`A ${kind} write reverted (transaction ${hash}, ${receipt.gasUsed} gas): the run stops.`);
      onReceipt(receipt);
    }
  }
}
