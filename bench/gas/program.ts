/**
 * Our program as a brand deploys it: through the SDK's `deployProgram`, so the benchmark measures the bytecode,
 * roles and wiring a brand gets (not a hand-made copy), and drives it through the SDK's typed ABIs.
 */
import type { Address } from "viem";
import { MAX_SERIES_SUPPLY, type Program } from "@punchcard/sdk";
import { deployProgram } from "@punchcard/sdk/deploy";
import type { BenchChain, GasRow } from "../lib/gasRun";

export const ROYALTY_BPS = 500n;
export const FEE_BPS = 250n;

/** The accounts of the benchmark, in `eth_accounts` order. */
export interface Cast {
  admin: Address;
  minter: Address;
  treasury: Address;
  feeRecipient: Address;
  alice: Address;
  bob: Address;
  carol: Address;
  brand: Address;
}

export function castOf(chain: BenchChain): Cast {
  const [admin, minter, treasury, feeRecipient, alice, bob, carol, brand] = chain.accounts as [
    Address,
    Address,
    Address,
    Address,
    Address,
    Address,
    Address,
    Address,
  ];
  return { admin, minter, treasury, feeRecipient, alice, bob, carol, brand };
}

/** What every gas benchmark subject runs with: the chain, its accounts, our program, and where rows and progress go. */
export interface GasBench {
  chain: BenchChain;
  cast: Cast;
  program: Program;
  add(row: GasRow): void;
  log(line: string): void;
}

/**
 * A market-only program with one series of the most editions a series may have, a 5 % royalty and a 2.5 % market fee,
 * points of 0 decimals that only the Market moves, and `currencies` allowed in the Market.
 */
export async function deployOurProgram(chain: BenchChain, cast: Cast, currencies: Address[]): Promise<Program> {
  const { program } = await deployProgram(chain.wallet(cast.admin), {
    config: {
      brand: "Bench",
      stamps: { name: "Punchcard Stamps", symbol: "STAMP", contractURI: "ipfs://bench/contract.json" },
      points: { name: "Punchcard Points", symbol: "PTS", decimals: 0, transferable: false },
      treasury: cast.treasury,
      royaltyBps: Number(ROYALTY_BPS),
      transferPolicy: "market-only",
      market: { feeBps: Number(FEE_BPS), feeRecipient: cast.feeRecipient, allowedCurrencies: currencies },
      roles: { minter: cast.minter, adminDelaySeconds: 0 },
      series: [{ name: "Bench Cup", maxSupply: Number(MAX_SERIES_SUPPLY), imageURI: "ipfs://bench/cup.png" }],
    },
  });
  return program;
}
