import type { Account, Address, Chain, Client, Transport } from "viem";

/** The deployed contracts of one loyalty program. Read it from a deployment record or `deployProgram`. */
export interface Program {
  chainId: number;
  /** Block of the first deployment transaction: where a ledger starts reading. */
  deployBlock: bigint;
  stamps: Address;
  points: Address;
}

/** A viem client that can read the chain (any public or wallet client). */
export type ReadClient = Client<Transport, Chain | undefined>;

/** A viem client with an account that signs and sends transactions (a wallet client). */
export type WriteClient = Client<Transport, Chain | undefined, Account>;
