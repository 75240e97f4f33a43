import { formatEther, type Address } from "viem";
import { getBalance, getGasPrice } from "viem/actions";
import type { ReadClient } from "../../program.js";

/** How long the relayer's balances and the gas price are trusted once read (milliseconds). */
export const RELAYER_FUNDS_TTL_MS = 1_000;

export interface RelayerFundsOptions {
  /** Milliseconds a reading is trusted (default {@link RELAYER_FUNDS_TTL_MS}; 0: read every time). */
  ttlMs?: number;
  /** The clock, for tests (default `Date.now`). */
  clock?: () => number;
}

interface Reading {
  at: number;
  value: Promise<bigint>;
}

/**
 * The sentence of a relayer under its balance floor: why sponsorship stops, whoever asks (a relay, the policy's
 * read endpoint).
 *
 * @example
 * belowFloor(10n ** 16n, 10n ** 17n); // "The relayer's balance (0.01) is below its floor of 0.1: sponsorship is …"
 */
export const belowFloor = (balance: bigint, floor: bigint): string =>
  `The relayer's balance (${formatEther(balance)}) is below its floor of ${formatEther(floor)}: sponsorship is paused until the brand tops it up; send it yourself meanwhile.`;

/**
 * The relayer keys' balances and the chain's gas price, read at most once per `ttlMs` (concurrent relays share one
 * read in flight) instead of twice per relay. A send takes its most possible cost off its key's balance at once
 * ({@link RelayerFunds.spent}), so the floor is never judged on a balance from before a send; the chain's figure
 * replaces the estimate once the reading expires.
 *
 * @example
 * const funds = new RelayerFunds(client);
 * if ((await funds.balance(relayer)) < floor) throw new Error(belowFloor(await funds.balance(relayer), floor));
 */
export class RelayerFunds {
  private readonly balances = new Map<Address, Reading>();
  private price: Reading | undefined;

  constructor(
    private readonly client: ReadClient,
    private readonly options: RelayerFundsOptions = {},
  ) {}

  private fresh(reading: Reading | undefined): reading is Reading {
    return reading !== undefined && this.now() - reading.at < (this.options.ttlMs ?? RELAYER_FUNDS_TTL_MS);
  }

  private now() {
    return (this.options.clock ?? Date.now)();
  }

  /** A reading of `read` from now; a failed one is forgotten, so the next caller reads again. */
  private reading(read: () => Promise<bigint>, forget: (reading: Reading) => void): Reading {
    const reading: Reading = { at: this.now(), value: read() };
    reading.value.catch(() => forget(reading));
    return reading;
  }

  /** The key's balance in wei, as last read (within the time to live) less what it has sent since. */
  async balance(address: Address): Promise<bigint> {
    let reading = this.balances.get(address);
    if (!this.fresh(reading)) {
      reading = this.reading(
        () => getBalance(this.client, { address }),
        (r) => this.balances.get(address) === r && this.balances.delete(address),
      );
      this.balances.set(address, reading);
    }
    return reading.value;
  }

  /** The chain's gas price in wei, as last read within the time to live. */
  async gasPrice(): Promise<bigint> {
    if (!this.fresh(this.price))
      this.price = this.reading(
        () => getGasPrice(this.client),
        (r) => {
          if (this.price === r) this.price = undefined;
        },
      );
    return this.price.value;
  }

  /** A transaction of the key went out that may cost up to `cost` wei: its balance is that much less until read again. */
  spent(address: Address, cost: bigint): void {
    const reading = this.balances.get(address);
    if (!reading) return;
    const less: Reading = { at: reading.at, value: reading.value.then((b) => b - cost) };
    less.value.catch(() => this.balances.get(address) === less && this.balances.delete(address));
    this.balances.set(address, less);
  }
}
