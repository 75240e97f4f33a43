/**
 * The markdown of a gas run (bench/results/gas-<date>.md): #15's targets and what each gap pays for, one table per group, ours first, with ratios to each peer and to
 * the floor; the Payment Processor method's call gas beside its published anchors; the floors explained.
 */
import fs from "node:fs";
import path from "node:path";
import { TX_GAS_CAP, type GasRow } from "./gasRun";
import { PAYMENT_PROCESSOR_ANCHORS } from "../gas/trade";
import { CALL_GAS_TARGET, gasTargetReasons, gasTargetRows } from "./gasTargets";

export { CALL_GAS_TARGET };

export function packageVersions(names: string[]): Record<string, string> {
  const root = path.join(__dirname, "..", "..");
  return Object.fromEntries(
    names.map((name) => [
      name,
      (JSON.parse(fs.readFileSync(path.join(root, "node_modules", name, "package.json"), "utf8")) as { version: string }).version,
    ]),
  );
}

const fmt = (n: number) => n.toLocaleString("en-US");
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

/** The markdown of a gas run: one table per group, ours first, with ratios to each peer and to the floor. */
export function gasMarkdown(result: {
  date: string;
  machine: string;
  versions: Record<string, string>;
  hardfork?: string;
  seaportRuntimeBytes: number;
  seconds: number;
  rows: GasRow[];
}): string {
  const out: string[] = [
    `# Gas benchmark, ${result.date}`,
    "",
    `Machine: ${result.machine}. Hardhat in-process network (${result.hardfork ?? "default"} gas schedule), one run of ` +
      `\`npm run bench:gas\` (${result.seconds.toFixed(0)} s). Gas is each transaction receipt's \`gasUsed\`, so it includes the ` +
      "21,000 base cost; a batch's figure is its total divided by its members.",
    "",
    `Versions: ${Object.entries(result.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}. Ours and the ERC-721/ERC-20 fixtures: ` +
      "solc optimizer 10,000 runs, `cancun`. Seaport: via-IR, optimizer 4,294,967,295 runs (as OpenSea builds it), " +
      `${fmt(result.seaportRuntimeBytes)} bytes of runtime code, built by solc 0.8.24 (0.8.30 stops with StackTooDeep ` +
      "via-IR); a cold compile of the bench config takes about 5 min 20 s with solc-js on 2 cores, cached afterwards.",
    "",
    "## Targets (issue #15)",
    "",
    "| target | ours | peer | ratio | target | verdict |",
    "|---|---:|---:|---:|---:|---|",
    ...gasTargetRows(result.rows),
    "",
    "What each remaining gap pays for (from the opcode profiles below):",
    "",
    ...gasTargetReasons(result.rows),
    "",
  ];
  const groups: Array<[GasRow["group"], string]> = [
    ["stamps", "Stamp mint to fresh members"],
    ["points", "Points reward to fresh members"],
    ["trade", "A trade of one stamp, royalty paid"],
  ];
  for (const [group, title] of groups) {
    const rows = result.rows.filter((r) => r.group === group);
    const ours = rows.filter((r) => r.subject.startsWith("Punchcard"));
    const oursMain = ours[0]!.subject;
    const peers = [...new Set(rows.map((r) => r.subject))].filter((s) => !s.startsWith("Punchcard"));
    out.push(`## ${title}`, "");
    out.push(
      `| operation | ${[...new Set(ours.map((r) => r.subject)), ...peers].join(" | ")} | floor | ours / ${peers.join(" | ours / ")} | ours / floor |`,
    );
    out.push(
      `|---|${Array(new Set(ours.map((r) => r.subject)).size + peers.length + 1 + peers.length + 1)
        .fill("---:")
        .join("|")}|`,
    );
    for (const operation of [...new Set(rows.map((r) => r.operation))]) {
      const at = (subject: string) => rows.find((r) => r.operation === operation && r.subject === subject);
      const ourSubjects = [...new Set(ours.map((r) => r.subject))];
      const mine = at(oursMain)!;
      const cell = (r: GasRow | undefined) =>
        r
          ? `${fmt(r.gas)}${r.transactions > 1 ? ` (${r.transactions} tx)` : ""}${r.maxTxGas > Number(TX_GAS_CAP) ? " ⚠" : ""}`
          : "–";
      out.push(
        `| ${operation} | ${ourSubjects.map((s) => cell(at(s))).join(" | ")} | ${peers.map((p) => cell(at(p))).join(" | ")} | ${fmt(mine.floor)} | ` +
          `${peers.map((p) => (at(p) ? ratio(mine.gas, at(p)!.gas) : "–")).join(" | ")} | ${ratio(mine.gas, mine.floor)} |`,
      );
    }
    const profiled = rows.filter((r) => r.profile);
    if (profiled.length > 0) {
      out.push(
        "",
        "Where the gas goes (opcode trace of the transaction; a batch's whole transaction, not per member):",
        "",
        "| operation | who | gas | calldata | storage reads (cold) | storage writes | logs | keccak | calls | the rest |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ...profiled.map((r) => {
          const p = r.profile!;
          const total = r.operation.startsWith("batch") ? Math.round(r.gas * Number(r.operation.match(/\d+/)![0])) : r.gas;
          return (
            `| ${r.operation} | ${r.subject} | ${fmt(total)} | ${fmt(p.calldata)} | ${fmt(p.storageReads.gas)} (${p.storageReads.count}, ${p.storageReads.cold} cold) | ` +
            `${fmt(p.storageWrites.gas)} (${p.storageWrites.count}) | ${fmt(p.logs.gas)} (${p.logs.count}) | ${fmt(p.hashing.gas)} (${p.hashing.count}) | ${p.calls} | ${fmt(p.rest)} |`
          );
        }),
      );
    }
    const notes = rows.filter((r) => r.note || r.maxTxGas > Number(TX_GAS_CAP));
    if (notes.length > 0) {
      out.push("");
      for (const r of notes) {
        const over =
          r.maxTxGas > Number(TX_GAS_CAP)
            ? `⚠ one transaction used ${fmt(r.maxTxGas)} gas, over EIP-7825's cap of 16,777,216: it cannot be included on a chain with Fusaka (Osaka). `
            : "";
        out.push(`- ${r.subject}, ${r.operation}: ${over}${r.note ?? ""}`);
      }
    }
    out.push("");
  }
  out.push(...paymentProcessorMethod(result.rows));
  out.push(
    "## Floors",
    "",
    "The floor of an operation is what no contract can avoid under the EVM's gas schedule (see `bench/lib/floor.ts`):",
    "21,000 per transaction; calldata at 4 / 16 gas per zero / non-zero byte (EIP-2028) for the smallest payload that",
    "carries the operation (selector, each 20-byte address, each id and amount in its fewest bytes; for a trade the",
    "seller, id, price, currency, a 4-byte expiry and a 65-byte signature), EIP-7623's calldata floor never binding here;",
    "22,100 per storage slot written from zero (2,100 cold + 20,000), 5,000 per cold slot changed, 100 per slot written",
    "again; the logs a token standard requires (ERC-721 Transfer 1,875, ERC-20 Transfer 1,756); 2,600 per extra cold",
    "account; 6,700 per native-coin payment to an existing account (9,000 less the 2,300 stipend an EOA hands back).",
    "A stamp mint writes a new owner slot and a new balance slot; a reward one new balance slot and the supply (once per",
    "transaction); a trade changes the stamp's owner, both stamp balances and one replay-protection slot, checks one",
    "`ecrecover` (3,000) and pays three parties (seller, royalty, fee).",
    "",
  );
  return out.join("\n");
}

/** The trades again, as call gas (Limit Break's method), beside Seaport 1.6 measured the same way and the anchors. */
function paymentProcessorMethod(rows: GasRow[]): string[] {
  const calls = rows.filter((r) => r.group === "trade-call");
  if (calls.length === 0) return [];
  const ours = calls.find((r) => r.subject.startsWith("Punchcard"))!.subject;
  const seaport = calls.find((r) => r.subject.startsWith("Seaport"))!.subject;
  const at = (operation: string, subject: string) => calls.find((r) => r.operation === operation && r.subject === subject);
  const out = [
    "## A trade, the Payment Processor way (call gas)",
    "",
    "Limit Break's Payment Processor benchmark reports a trade's call gas, measured inside Foundry tests: the gas of " +
      "the call alone (here: the receipt's gas less the 21,000 base, the calldata at EIP-2028 prices and the access " +
      "list's own price). **Warm**: the buyer and the seller have just traded with each other, so every slot and account " +
      "the trade touches is warm, as in a Foundry test that traded before; we send the trade back with an EIP-2930 access " +
      "list of everything it touches (`accessListOf` in bench/lib/gasRun.ts, read from the opcode trace of a dry run). " +
      "**Cold**: each one's first trade, a plain transaction: the buyer's first stamp and, with the ERC-20, the seller's " +
      "first dollars are storage written from zero, and every access is cold. Same trades as above: 5 % royalty and " +
      "2.5 % fee, ours under the market-only policy. Warm floors price their slots and accounts warm.",
    "",
    `| trade | ${ours} | ${seaport} | floor | ours / Seaport 1.6 | ours / floor |`,
    "|---|---:|---:|---:|---:|---:|",
  ];
  for (const operation of [...new Set(calls.map((r) => r.operation))]) {
    const mine = at(operation, ours)!;
    const theirs = at(operation, seaport);
    out.push(
      `| ${operation} | ${fmt(mine.gas)} | ${theirs ? fmt(theirs.gas) : "–"} | ${fmt(mine.floor)} | ` +
        `${theirs ? ratio(mine.gas, theirs.gas) : "–"} | ${ratio(mine.gas, mine.floor)} |`,
    );
  }
  const warm = calls.filter((r) => r.subject === ours && r.operation.endsWith("warm"));
  out.push(
    "",
    `Published anchors for the method (warm, marketplace fee and royalty): ${Object.entries(PAYMENT_PROCESSOR_ANCHORS)
      .map(([name, gas]) => `${name} ${fmt(gas)}`)
      .join(", ")}. Target: ours warm ≤ ${fmt(CALL_GAS_TARGET)}: ` +
      warm
        .map((r) => {
          const verdict = r.gas <= CALL_GAS_TARGET ? "met" : `missed by ${fmt(r.gas - CALL_GAS_TARGET)} gas`;
          return `${r.operation.replace(", warm", "")} ${fmt(r.gas)} (${verdict})`;
        })
        .join(", ") +
      ". The anchors were measured on their own fixtures and compiler, so only our rows and Seaport 1.6's are measured " +
      "side by side here; the two Seaports' gap shows how far the anchors travel.",
    "",
  );
  return out;
}
