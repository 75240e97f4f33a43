// The Ponder side of the ledger benchmark (bench/ledger/ponder.ts starts it with `ponder start --root bench/ponder`):
// the program's five contracts on the benchmark's local chain, every event of each. The runner passes the RPC,
// the program and the database through the environment.
import { createConfig } from "ponder";
import { http } from "viem";
import { consentRegistryAbi, marketAbi, pointsAbi, rewardsAbi, stampsAbi } from "../../sdk/src/generated/abis.js";
import { benchProgram } from "./program.js";

const program = benchProgram();
const rpc = process.env.PONDER_RPC_URL;
if (!rpc) throw new Error("PONDER_RPC_URL is not set: run the Ponder side through npm run bench:ledger");
const startBlock = Number(program.deployBlock);
const network = "local" as const;

export default createConfig({
  database: process.env.PONDER_PG_URL
    ? { kind: "postgres", connectionString: process.env.PONDER_PG_URL, poolConfig: { max: 10 } }
    : { kind: "pglite", directory: process.env.PONDER_PGLITE_DIR ?? ".ponder/pglite" },
  networks: {
    // The RPC is a node on loopback: no rate limit to respect (Ponder's default is 50 requests/s), no cap on a
    // response's size (viem's default of 10 MB fails Ponder's eth_getLogs of 50 dense blocks, and Ponder does not
    // split a range on it as syncLedger does), and the head is polled as often as Ponder allows (100 ms), like our
    // follower in the benchmark.
    [network]: {
      chainId: program.chainId,
      transport: http(rpc, { maxResponseBodySize: false }),
      pollingInterval: 100,
      maxRequestsPerSecond: 10_000,
    },
  },
  contracts: {
    Stamps: { network, abi: stampsAbi, address: program.stamps, startBlock },
    Points: { network, abi: pointsAbi, address: program.points, startBlock },
    Market: { network, abi: marketAbi, address: program.market, startBlock },
    Consent: { network, abi: consentRegistryAbi, address: program.consent, startBlock },
    Rewards: { network, abi: rewardsAbi, address: program.rewards, startBlock },
  },
});
