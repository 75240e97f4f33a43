/**
 * `punchcard roles`: who holds which role of a program, and the move of its admin powers into a Safe.
 *
 *   punchcard roles --program deployments/localhost/example.json
 *   punchcard roles handover --program deployments/localhost/example.json --to 0xSafe --backend 0xBackend
 *   punchcard roles accept --program deployments/localhost/example.json
 */
import fs from "node:fs";
import path from "node:path";
import { encodeFunctionData, getAddress, isAddress, isAddressEqual, type Address } from "viem";
import { handoverAdmin, type HandoverAdminReturnType, type SafeCall } from "../brand/handoverAdmin.js";
import { stampsAbi } from "../generated/abis.js";
import { getRoles, type ContractRoles } from "../read/getRoles.js";
import type { DeploymentRecord, Program } from "../program.js";
import { defineCommand, UsageError, PROGRAM_RECORD_OPTION, RPC_URL_OPTION } from "./command.js";
import {
  accountsFileOf,
  readKnownAccounts,
  readLiveProgram,
  rpcOf,
  signerForProgram,
  writeKnownAccounts,
  type KnownAccounts,
  jsonText as json,
} from "./liveProgram.js";

/** How an address reads in the output: the record's deployer, a contract of the program, the Safe, a backend key. */
export function labelOf(address: Address, record: DeploymentRecord, known: KnownAccounts): string {
  if (isAddressEqual(address, record.deployer)) return "deployer";
  for (const [name, contract] of Object.entries(record.contracts)) {
    if (isAddressEqual(address, contract)) return `${name} contract`;
  }
  if (known.safe && isAddressEqual(address, known.safe)) return "Safe";
  if (known.backend?.some((b) => isAddressEqual(b, address))) return "backend";
  return "unknown";
}

const when = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");

/** The roles of every contract as people read them: one line per role, holders labelled. */
export function rolesText(contracts: ContractRoles[], record: DeploymentRecord, known: KnownAccounts): string {
  const lines = [`Roles of ${record.brand} on ${record.network} (chain ${record.chainId})`];
  const who = (a: Address) => `${a} (${labelOf(a, record, known)})`;
  for (const c of contracts) {
    lines.push("", `${c.contract} ${c.address}  admin handover delay: ${c.adminDelaySeconds} s`);
    for (const r of c.roles) {
      const holders = r.holders.length === 0 ? "nobody" : r.holders.map(who).join(", ");
      lines.push(`  ${String(r.role).padEnd(7)} ${holders}`, ...(r.powers ? [`          may: ${r.powers}`] : []));
    }
    if (c.pendingAdmin) {
      lines.push(
        `  handover of admin to ${who(c.pendingAdmin.account)} pending; it may accept after ${when(c.pendingAdmin.acceptAfter)}`,
      );
    }
  }
  return lines.join("\n");
}

/**
 * A batch of the Safe's calls in the JSON the Safe{Wallet} Transaction Builder imports: the owners load it, check it
 * and sign one transaction for all the calls.
 */
export function safeBatchOf(chainId: number, safe: Address, calls: SafeCall[], description: string) {
  return {
    version: "1.0",
    chainId: String(chainId),
    createdAt: Date.now(),
    meta: { name: "Punchcard: accept the program's admin role", description, createdFromSafeAddress: safe },
    transactions: calls.map((c) => ({ to: c.to, value: c.value.toString(), data: c.data })),
  };
}

function callsText(calls: SafeCall[], acceptAfter: bigint, safe: Address): string {
  return [
    `The Safe ${safe} accepts with ${calls.length} call(s), valid after ${when(acceptAfter)} (chain time):`,
    ...calls.map((c) => `  ${c.contract.padEnd(8)} to ${c.to} value 0 data ${c.data}  (acceptDefaultAdminTransfer())`),
  ].join("\n");
}

/** The accept calls of every contract whose admin handover is pending, from the live contracts. */
export function pendingAccepts(contracts: ContractRoles[]): { safe: Address; calls: SafeCall[]; acceptAfter: bigint } | null {
  const pending = contracts.filter((c) => c.pendingAdmin !== null);
  const first = pending[0]?.pendingAdmin;
  if (!first) return null;
  const data = encodeFunctionData({ abi: stampsAbi, functionName: "acceptDefaultAdminTransfer" });
  return {
    safe: first.account,
    calls: pending.map((c) => ({ contract: c.contract, to: c.address, value: 0n, data })),
    acceptAfter: pending.reduce((latest, c) => (c.pendingAdmin!.acceptAfter > latest ? c.pendingAdmin!.acceptAfter : latest), 0n),
  };
}

function writeBatch(file: string, chainId: number, safe: Address, calls: SafeCall[], program: Program): string {
  const description = `Accept the default admin role of the Punchcard program (Stamps ${program.stamps}) on ${calls.length} contract(s).`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${json(safeBatchOf(chainId, safe, calls, description))}\n`);
  return file;
}

const batchFileOf = (recordPath: string) =>
  path.join(path.dirname(recordPath), `${path.basename(recordPath, path.extname(recordPath))}.safe-accept.json`);

export const rolesCommand = defineCommand({
  name: "roles",
  summary: "List who holds each role of a program, or hand its admin powers to a Safe.",
  usage: "[list|handover|accept] --program <deployment record> [options]",
  subcommands: {
    list: "every role of every contract and who holds it (the default)",
    handover: "begin the two-step admin handover to --to <safe>; move the pauser to it, backend roles to --backend",
    accept: "print (and write to --out) the calls the Safe signs to accept, once the delay has passed",
  },
  options: {
    program: PROGRAM_RECORD_OPTION,
    rpc: RPC_URL_OPTION,
    to: { type: "string", value: "<safe>", description: "handover: the Safe that takes the admin and pauser roles" },
    backend: {
      type: "string",
      value: "<address>",
      description: "handover: the backend key that takes the minter, brand and issuer roles the deployer holds",
    },
    out: {
      type: "string",
      value: "<file>",
      description: "handover, accept: the Safe batch file (default: <record>.safe-accept.json)",
    },
    json: { type: "boolean", default: false, description: "print JSON (exact numbers) instead of text" },
  },
  environment: {
    RPC_URL: "JSON-RPC endpoint, when --rpc is not given",
    DEPLOYER_KEY: "handover: the 0x private key of the program's admin (the deployer); never on the command line",
  },
  notes: `Rule of the handover: the admin role (royalty, fees, series, end, roles) and the pauser
role go to the Safe; the minter, brand and issuer roles go to --backend (a key of the
brand's backend: they sign many times a day, which a multisig cannot). Without --backend
the deployer keeps them and is the backend's key. The admin moves in two steps: the Safe
accepts after the contracts' delay, with the calls \`roles accept\` prints; until then the
deployer is still admin. The Safe and backend are written to <record>.accounts.json,
which punchcard check reads as known accounts.`,
  async run({ values, positionals, out }) {
    const [command = "list", ...extra] = positionals;
    if (!["list", "handover", "accept"].includes(command)) {
      throw new UsageError(`Unknown command "${command}": use list, handover or accept.`);
    }
    if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}".`);
    const rpc = rpcOf(values.rpc);
    if (command !== "handover" && (values.to !== undefined || values.backend !== undefined)) {
      throw new UsageError("--to and --backend are for roles handover.");
    }
    if (command === "handover") {
      if (values.to === undefined) throw new UsageError("roles handover needs --to <safe>: the Safe's address.");
      if (!isAddress(values.to)) throw new UsageError(`--to must be a 0x address of 20 bytes (got "${values.to}").`);
      if (values.backend !== undefined && !isAddress(values.backend)) {
        throw new UsageError(`--backend must be a 0x address of 20 bytes (got "${values.backend}").`);
      }
      const { record, program, client } = await signerForProgram(values.program, rpc);
      const safe = getAddress(values.to);
      const backend = values.backend === undefined ? undefined : getAddress(values.backend);
      const result = await handoverAdmin(client, { program, safe, ...(backend ? { backend } : {}) });
      writeKnownAccounts(values.program, { safe, backend: backend ? [backend] : [] });
      const batch = writeBatch(values.out ?? batchFileOf(values.program), record.chainId, safe, result.accept, program);
      out(values.json ? `${json({ ...result, batch })}\n` : `${handoverText(result, record, batch, values.program)}\n`);
      return 0;
    }
    const { record, program, client } = await readLiveProgram(values.program, rpc);
    const { contracts } = await getRoles(client, { program });
    const known = readKnownAccounts(values.program);
    if (command === "list") {
      out(values.json ? `${json({ contracts })}\n` : `${rolesText(contracts, record, known)}\n`);
      return 0;
    }
    const pending = pendingAccepts(contracts);
    if (!pending) {
      out(`No admin handover is pending on ${record.brand}'s contracts: nothing to accept.\n`);
      return 1;
    }
    const batch = writeBatch(values.out ?? batchFileOf(values.program), record.chainId, pending.safe, pending.calls, program);
    out(
      values.json
        ? `${json({ ...pending, batch })}\n`
        : `${callsText(pending.calls, pending.acceptAfter, pending.safe)}\nBatch for the Safe's Transaction Builder: ${batch}\n`,
    );
    return 0;
  },
});

function handoverText(result: HandoverAdminReturnType, record: DeploymentRecord, batch: string, recordPath: string): string {
  const lines = [
    `Handing ${record.brand}'s admin powers to the Safe ${result.safe.address} (${result.safe.threshold} of ${result.safe.owners.length} owners).`,
    `Sent ${result.transactions.length} transaction(s).`,
    ...result.moved.map(
      (m) =>
        `  ${m.contract.padEnd(8)} ${m.role.padEnd(7)} -> ${m.to}${m.role === "admin" ? " (pending: the Safe accepts)" : ""}`,
    ),
  ];
  if (result.kept.length > 0) {
    lines.push(
      `The deployer keeps ${result.kept.map((k) => `${k.contract} ${k.role}`).join(", ")}: it is the backend's key.`,
      "To move them to a separate key, run again with --backend <address>.",
    );
  }
  lines.push(
    "",
    callsText(result.accept, result.acceptAfter, result.safe.address),
    `Batch for the Safe's Transaction Builder: ${batch}`,
    `Known accounts written to ${accountsFileOf(recordPath)}.`,
    `After the delay, the Safe's owners sign the batch; then check: punchcard roles --program ${recordPath}`,
  );
  return lines.join("\n");
}
