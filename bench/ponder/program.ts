import type { Address } from "viem";

/** The program the benchmark deployed, as the runner passes it in PONDER_PROGRAM (JSON). */
export interface BenchProgram {
  chainId: number;
  deployBlock: string;
  stamps: Address;
  points: Address;
  market: Address;
  consent: Address;
  rewards: Address;
}

export function benchProgram(): BenchProgram {
  const json = process.env.PONDER_PROGRAM;
  if (!json) throw new Error("PONDER_PROGRAM is not set: run the Ponder side through npm run bench:ledger");
  return JSON.parse(json) as BenchProgram;
}
