/**
 * `punchcard check`: reads a live program and says, in plain words, what a brand or member should know; exits
 * non-zero on a risk, for a brand's monitoring.
 *
 *   punchcard check --program deployments/localhost/example.json --relayer 0xRelayer
 */
import { parseEther } from "viem";
import {
  consentRegistryBytecode,
  marketBytecode,
  pointsBytecode,
  rewardsBytecode,
  stampsBytecode,
} from "../generated/bytecode.js";
import { checkProgram, type CheckProgramReturnType } from "../read/checkProgram.js";
import type { DeploymentRecord } from "../program.js";
import { defineCommand, UsageError, PROGRAM_RECORD_OPTION, RPC_URL_OPTION } from "./command.js";
import { jsonText as json, parseAddresses, readKnownAccounts, readLiveProgram, rpcOf } from "./liveProgram.js";

/** The exit code of `punchcard check` when it found at least one risk (1 is an error, 2 a usage mistake). */
export const CHECK_RISK_EXIT_CODE = 3;

/** The SDK's creation bytecode of each contract: what the live code is compared with. */
const sdkBytecode = {
  stamps: stampsBytecode,
  points: pointsBytecode,
  market: marketBytecode,
  consent: consentRegistryBytecode,
  rewards: rewardsBytecode,
};

function checkText(result: CheckProgramReturnType, record: DeploymentRecord): string {
  const risks = result.findings.filter((f) => f.level === "risk");
  const notes = result.findings.filter((f) => f.level === "note");
  return [
    `Check of ${record.brand} on ${record.network} (chain ${record.chainId}) at block ${result.blockNumber}`,
    "",
    risks.length === 0 ? "No risk found." : `${risks.length} risk(s):`,
    ...risks.map((f) => `  RISK ${f.code}: ${f.message}`),
    "",
    "What members should know:",
    ...notes.map((f) => `  ${f.message}`),
  ].join("\n");
}

export const checkCommand = defineCommand({
  name: "check",
  summary: "Check a live program for risky settings; exit code 3 on a risk, for monitoring.",
  usage: "--program <deployment record> [--relayer <addresses>] [--known <addresses>] [options]",
  options: {
    program: PROGRAM_RECORD_OPTION,
    rpc: RPC_URL_OPTION,
    relayer: {
      type: "string",
      value: "<addresses>",
      description: "relayer or paymaster accounts whose coin must stay above the floor, comma-separated",
    },
    "min-balance": {
      type: "string",
      value: "<coin>",
      default: "0.01",
      description: "the floor of a relayer's balance, in the chain's coin",
    },
    known: {
      type: "string",
      value: "<addresses>",
      description: "accounts the brand gave roles to, comma-separated, beside <record>.accounts.json (written by roles handover)",
    },
    "pause-days": { type: "string", value: "<n>", default: "30", description: "report a pause begun within this many days" },
    json: { type: "boolean", default: false, description: "print JSON (exact numbers) instead of text" },
  },
  environment: { RPC_URL: "JSON-RPC endpoint, when --rpc is not given" },
  notes: `Exit codes: 0 no risk; 3 at least one risk; 1 the program could not be read; 2 a usage mistake.
Risks: admin-without-code, admin-single-signer, admin-handover-pending, role-unknown-holder,
relayer-balance-low, paymaster-deposit-low, pause-active, pause-recent, end-announced, code-mismatch. Notes (never an
alarm): the royalty and fees, the points' terms, the notice and pause bounds, an admin renounced.
Known accounts: the record's deployer and contracts, <record>.accounts.json and --known.
Code is compared with the SDK's bytecode with the immutables' words set aside (they differ per deployment).`,
  async run({ values, out }) {
    let minRelayerBalance: bigint;
    try {
      minRelayerBalance = parseEther(values["min-balance"]);
    } catch {
      throw new UsageError(`--min-balance must be an amount of coin such as 0.05 (got "${values["min-balance"]}").`);
    }
    if (!/^\d+$/.test(values["pause-days"]))
      throw new UsageError(`--pause-days must be a whole number (got "${values["pause-days"]}").`);
    const relayers = parseAddresses("relayer", values.relayer);
    const extra = parseAddresses("known", values.known);
    const { record, program, client } = await readLiveProgram(values.program, rpcOf(values.rpc));
    const accounts = readKnownAccounts(values.program);
    const known = [record.deployer, ...(accounts.safe ? [accounts.safe] : []), ...(accounts.backend ?? []), ...extra];
    const result = await checkProgram(client, {
      program,
      known,
      relayers,
      minRelayerBalance,
      recentPauseDays: Number(values["pause-days"]),
      bytecode: sdkBytecode,
    });
    out(values.json ? `${json(result)}\n` : `${checkText(result, record)}\n`);
    return result.risks > 0 ? CHECK_RISK_EXIT_CODE : 0;
  },
});
