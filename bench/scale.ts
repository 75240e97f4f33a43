/**
 * The scale run: one program on Hardhat's in-process network grown to 1,000, 10,000 and 100,000 members, and at
 * each size its gas per member of each operation, the ledger's backfill (SQLite and Postgres), its size, `ledger
 * stats` and the heaviest KPI query, and the order book with a tenth of the members holding an open order. Writes
 * bench/results/scale-<date>.md, .json and .svg (a log-log chart of each figure against members), after each size.
 *
 *   npm run bench:scale [-- --help]        (also `npm run bench -- --only scale`)
 *
 * Not part of `npm test`, nor of `npm run bench` by default: at 100,000 members it takes longer than all the others.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { formatEther } from "viem";
import { approveMarket } from "@punchcard/sdk";
import { serveInProcessChain } from "../test/helpers/rpcServer";
import {
  advanceDays,
  clientOf,
  deployScaleProgram,
  growTo,
  SHARES,
  type GrowPhases,
  type Operation,
  type OperationGas,
} from "./scale/grow";
import { measureBook, measureLedger, type BookFigures, type LedgerFigures } from "./scale/measure";
import {
  buildWallet,
  giveWalletEntries,
  measureWallet,
  walletLines,
  WALLET_ENTRIES,
  type BuiltWallet,
  type WalletFigures,
} from "./scale/wallet";
import { chartSvg, figuresTable, slope, superlinear, why, type Figure } from "./scale/report";

const HELP = `npm run bench:scale [-- options]     (or: npm run bench -- --only scale)

Grows one program on Hardhat's in-process network to each size in turn (members: a stamp and a reward each, in
batches; a share buying points, a fifth of those refunded; a share trading a stamp; a share linking with consent;
expired points burned) and measures at each size: gas per member of each operation and its cost at a stated gas
price, the ledger's backfill into SQLite (and Postgres with PUNCHCARD_PG_URL: its tables are dropped), its size on
disk, ledger stats and the heaviest KPI query, and the order book with a tenth of the members holding an open order
(autocannon: uncached reads, then posts). Writes bench/results/scale-<date>.md, .json and .svg after each size.

Not run by \`npm run bench\` unless asked (--only scale): it takes longer than all the others together (see the
time by phase in bench/results/scale-<date>.md). The writes are mined many to a block, without simulation, their gas
limit estimated once per kind of write (bench/scale/sender.ts); the gas figures come from the receipts.

Options (or environment):
  --sizes <n,n,..>      members at each step, ascending (BENCH_SCALE_SIZES; default 1000,10000,100000)
  --batch <n>           members per mint and reward transaction (default 150: the gas estimate of a reward to 200 new
                        members was above the 16,777,216 gas a transaction may use)
  --gas-price <gwei>    the gas price the costs are stated at (BENCH_GAS_PRICE_GWEI; default 1)
  --seconds <s>         each autocannon run on the order book (BENCH_SECONDS; default 5)
  --connections <n>     autocannon connections (default 20)
  --seed <text>         the seed the brand's and members' keys derive from (default "punchcard-scale")
  --skip-wallet         do not measure the wallet's Collection and History (Chromium) for the member with 1,000 entries
  --report <json>       no run: write the markdown and the chart again from a run's bench/results/scale-<date>.json
  --help                this text
`;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string" },
      batch: { type: "string" },
      "gas-price": { type: "string" },
      seconds: { type: "string" },
      connections: { type: "string" },
      seed: { type: "string" },
      report: { type: "string" },
      "skip-wallet": { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const positive = (name: string, raw: string | undefined, fallback: number) => {
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got "${raw}"`);
    return n;
  };
  const sizes = (values.sizes ?? process.env.BENCH_SCALE_SIZES ?? "1000,10000,100000").split(",").map((s) => {
    const n = Number(s.trim());
    if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`--sizes: "${s}" is not a whole number of members`);
    return n;
  });
  if (sizes.some((n, i) => i > 0 && n <= sizes[i - 1]!)) throw new Error(`--sizes must ascend: ${sizes.join(",")}`);
  const pgUrl = process.env.PUNCHCARD_PG_URL;
  if (pgUrl && /\/punchcard_test(\?|$)/.test(pgUrl))
    throw new Error("PUNCHCARD_PG_URL names punchcard_test, which this benchmark would empty.");
  return {
    sizes,
    batch: Math.floor(positive("batch", values.batch, 150)),
    gasPriceGwei: positive("gas-price", values["gas-price"] ?? process.env.BENCH_GAS_PRICE_GWEI, 1),
    seconds: Math.floor(positive("seconds", values.seconds ?? process.env.BENCH_SECONDS, 5)),
    connections: Math.floor(positive("connections", values.connections, 20)),
    seed: values.seed ?? "punchcard-scale",
    report: values.report,
    skipWallet: values["skip-wallet"] ?? false,
    pgUrl,
  };
}

interface Step {
  members: number;
  /** Each operation's gas over the step that grew the program to this size. */
  gas: Record<Operation, OperationGas>;
  /** Program events the backfill wrote as entries, per engine. */
  ledger: LedgerFigures[];
  book: BookFigures;
  /** The wallet's load times for the member with 1,000 entries (absent with --skip-wallet). */
  wallet?: WalletFigures;
  /** Wall time of each phase of this step, seconds. */
  seconds: { grow: number; growPhases?: GrowPhases; keys: number; ledger: Record<string, number>; book: number; wallet?: number };
}

const OPERATIONS: Array<[Operation, string]> = [
  ["mint", "stamp mint (batched)"],
  ["reward", "points reward (batched)"],
  ["purchase", "purchase credited"],
  ["reversal", "purchase reversed"],
  ["approve", "Market approval (member)"],
  ["trade", "stamp bought on the Market (member)"],
  ["consent", "consent link submitted"],
  ["expiry", "expired points burned"],
];

const perMember = (g: OperationGas) => (g.members === 0 ? undefined : Number(g.gas) / g.members);

function figures(steps: Step[]): Figure[] {
  const engine = (e: string) => steps.map((s) => s.ledger.find((l) => l.engine === e));
  const ledgerRows = (e: "sqlite" | "postgres", label: string): Figure[] => {
    const l = engine(e);
    if (l.every((v) => v === undefined)) return [];
    return [
      { name: `${label}: ledger backfill, s`, kind: "total", values: l.map((v) => v?.syncSeconds), digits: 1 },
      { name: `${label}: backfill rate, entries/s`, kind: "rate", values: l.map((v) => v?.entriesPerSecond) },
      { name: `${label}: database size, MiB`, kind: "total", values: l.map((v) => v && v.bytes / 2 ** 20), digits: 1 },
      { name: `${label}: ledger stats, ms`, kind: "total", values: l.map((v) => v?.statsMs) },
      { name: `${label}: heaviest KPI query, ms`, kind: "total", values: l.map((v) => v?.kpisMs[0]?.ms) },
    ];
  };
  return [
    ...OPERATIONS.map(([op, label]) => ({
      name: `gas per member: ${label}`,
      kind: "per member" as const,
      values: steps.map((s) => perMember(s.gas[op])),
    })),
    { name: "ledger entries", kind: "total", values: steps.map((s) => s.ledger[0]?.entries) },
    ...ledgerRows("sqlite", "SQLite"),
    ...ledgerRows("postgres", "Postgres"),
    { name: "book: open orders", kind: "total", values: steps.map((s) => s.book.openOrders) },
    { name: "book: uncached read p99, ms", kind: "per request", values: steps.map((s) => s.book.readP99) },
    { name: "book: uncached reads, req/s", kind: "rate", values: steps.map((s) => s.book.readRps) },
    { name: "book: post p99, ms", kind: "per request", values: steps.map((s) => s.book.postP99) },
    { name: "book: posts, req/s", kind: "rate", values: steps.map((s) => s.book.postRps) },
    {
      name: "wallet: Collection shown, ms (member with 1,000 entries)",
      kind: "per request",
      values: steps.map((s) => s.wallet?.collectionMedianMs),
    },
    {
      name: "wallet: History shown, ms (member with 1,000 entries)",
      kind: "per request",
      values: steps.map((s) => s.wallet?.historyMedianMs),
    },
    {
      name: "growing the program, s per 1,000 new members",
      kind: "per member",
      values: steps.map((s, i) => (s.seconds.grow / (s.members - (steps[i - 1]?.members ?? 0))) * 1000),
      digits: 1,
    },
  ];
}

/** `--report <json>`: writes the markdown and the chart again from a run's JSON (after a change to the report). */
function rerender(file: string, options: ReturnType<typeof parseOptions>): void {
  const run = JSON.parse(fs.readFileSync(file, "utf8")) as {
    date: string;
    loadAverageAtStart: number[];
    loadAverageAtEnd: number[];
    gasPriceGwei: number;
    steps: Array<Omit<Step, "gas"> & { gas: Record<Operation, Omit<OperationGas, "gas"> & { gas: string }> }>;
    seconds: { total: number };
  };
  const steps: Step[] = run.steps.map((s) => ({
    ...s,
    gas: Object.fromEntries(Object.entries(s.gas).map(([op, g]) => [op, { ...g, gas: BigInt(g.gas) }])) as Step["gas"],
  }));
  write(path.dirname(file), run.date, {
    options,
    steps,
    loadAtStart: run.loadAverageAtStart,
    loadAtEnd: run.loadAverageAtEnd,
    started: Date.now() - run.seconds.total * 1000,
    gwei: run.gasPriceGwei,
  });
}

async function main() {
  const options = parseOptions();
  if (options.report) return rerender(options.report, options);
  const loadAtStart = os.loadavg();
  const started = Date.now();
  const log = (line: string) => console.log(`[scale ${((Date.now() - started) / 1000).toFixed(0)} s] ${line}`);
  const scale = await deployScaleProgram(options.seed);
  const rpc = await serveInProcessChain();
  const sqliteFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-scale-")), "ledger.sqlite");
  const steps: Step[] = [];
  const date = new Date().toISOString().slice(0, 10);
  const resultsDir = path.join(__dirname, "results");
  const gwei = options.gasPriceGwei;
  /** The member whose wallet is loaded: in no share of its cohort but the expiry's (its old points are burned). */
  const walletMember = 3;
  let wallet: BuiltWallet | undefined;
  try {
    if (!options.skipWallet) {
      log("building the wallet (vite) and starting Chromium");
      wallet = await buildWallet().catch((error: unknown) => {
        log(`the wallet could not be built or Chromium started, so it is not measured: ${String(error)}`);
        return undefined;
      });
    }
    for (const size of options.sizes) {
      log(`growing the program to ${size} members`);
      const keysBefore = scale.keySeconds;
      const t0 = performance.now();
      const { gas, phases } = await growTo(scale, size, options.batch, log);
      const grow = (performance.now() - t0) / 1000;
      if (wallet && steps.length === 0) {
        await giveWalletEntries(scale, walletMember);
        log(`wallet: member ${walletMember} given ${WALLET_ENTRIES.stamps} stamps and ${WALLET_ENTRIES.rewards} rewards`);
      }
      const ledger: LedgerFigures[] = [];
      const ledgerSeconds: Record<string, number> = {};
      for (const [engine, location] of [["sqlite", sqliteFile], ...(options.pgUrl ? [["postgres", options.pgUrl]] : [])] as Array<
        ["sqlite" | "postgres", string]
      >) {
        const t1 = performance.now();
        ledger.push(await measureLedger(engine, location, rpc.url, scale.program, log));
        ledgerSeconds[engine] = (performance.now() - t1) / 1000;
      }
      // The posted listings' seller: the newest member, with a stamp, the Market approved.
      const t2 = performance.now();
      const sellerIndex = size - 1;
      const seller = scale.member(sellerIndex);
      const sellerClient = clientOf(seller);
      await scale.brand.sendTransaction({ to: seller.address, value: 10n ** 18n });
      await approveMarket(sellerClient, { program: scale.program });
      const now = (await scale.brand.getBlock({ blockTag: "latest" })).timestamp;
      const book = await measureBook({
        program: scale.program,
        deployer: scale.brand.account.address,
        rpcUrl: rpc.url,
        members: size,
        seller,
        tokenId: scale.stampOf.get(sellerIndex)!,
        expiry: now + 30n * 86_400n,
        connections: options.connections,
        seconds: options.seconds,
        log,
      });
      log(
        `book: ${book.openOrders} open orders; reads ${book.readRps.toFixed(0)}/s p99 ${book.readP99} ms; posts ${book.postRps.toFixed(0)}/s p99 ${book.postP99} ms (${book.postStatuses})`,
      );
      const t3 = performance.now();
      const walletFigures = wallet
        ? await measureWallet({ wallet, scale, index: walletMember, rpcUrl: rpc.url, log }).catch((error: unknown) => {
            // A failure of the browser leaves the wallet's rows empty; the step's other figures are kept.
            log(`wallet: not measured: ${String(error)}`);
            return undefined;
          })
        : undefined;
      const walletSeconds = (performance.now() - t3) / 1000;
      steps.push({
        members: size,
        gas,
        ledger,
        book,
        wallet: walletFigures,
        seconds: {
          grow,
          growPhases: phases,
          keys: scale.keySeconds - keysBefore,
          ledger: ledgerSeconds,
          book: (t3 - t2) / 1000,
          wallet: walletSeconds,
        },
      });
      write(resultsDir, date, { options, steps, loadAtStart, started, gwei });
      log(`${size} members measured; bench/results/scale-${date}.md written`);
      await advanceDays(1);
    }
  } finally {
    await wallet?.close();
    await rpc.close();
  }
}

function write(
  dir: string,
  date: string,
  run: {
    options: ReturnType<typeof parseOptions>;
    steps: Step[];
    loadAtStart: number[];
    /** The load average at the end (now, unless written again from a run's JSON). */
    loadAtEnd?: number[];
    started: number;
    gwei: number;
  },
): void {
  const { steps, gwei } = run;
  const sizes = steps.map((s) => s.members);
  const rows = figures(steps);
  const loadAtEnd = run.loadAtEnd ?? os.loadavg();
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const totalSeconds = (Date.now() - run.started) / 1000;
  const phase = (pick: (s: Step) => number) => steps.reduce((t, s) => t + pick(s), 0);
  const phases = {
    "growing the program (transactions on the in-process chain, signing, receipts)": phase((s) => s.seconds.grow),
    "ledger backfill and queries, SQLite": phase((s) => s.seconds.ledger.sqlite ?? 0),
    "ledger backfill and queries, Postgres": phase((s) => s.seconds.ledger.postgres ?? 0),
    "order book (seeding, serve, autocannon)": phase((s) => s.seconds.book),
    "wallet in Chromium (3 loads of Collection and History)": phase((s) => s.seconds.wallet ?? 0),
  };
  const transactions = steps.reduce((t, s) => t + Object.values(s.gas).reduce((n, g) => n + g.transactions, 0), 0);
  const batches = steps.reduce((t, s) => t + s.gas.mint.transactions + s.gas.reward.transactions, 0);
  const batchGas = (["mint", "reward"] as const)
    .map((op) => `a ${op} about ${((perMember(steps.at(-1)!.gas[op])! * run.options.batch) / 1e6).toFixed(1)} million gas`)
    .join(", ");
  const fast = rows.filter((f) => superlinear(f.kind, slope(sizes, f.values)));
  const cost = (gas: number | undefined) =>
    gas === undefined ? "–" : Number(formatEther(BigInt(Math.round(gas * gwei * 1e9)))).toPrecision(3);
  const md = [
    `# Scale run, ${date}`,
    "",
    `One program on Hardhat's in-process network (automine off: the writes mined many to a block), grown to ${sizes.map((n) => n.toLocaleString("en-US")).join(", ")} members`,
    `by \`npm run bench:scale\` (bench/scale.ts). Each new member gets a stamp and a reward (batches of ${run.options.batch}); of each new cohort`,
    `${SHARES.purchases * 100} % buy points (credited, pending; a fifth refunded and reversed), ${SHARES.trades * 100} % sell a stamp on the Market in the chain's coin,`,
    `${SHARES.consents * 100} % link their wallet with consent; then the clock moves past the 60-day inactivity expiry and ${SHARES.expiries * 100} % of a cohort, oldest first, have`,
    "their expired points burned. The brand and the members are local viem accounts derived from a seed. Each write calls the contract function",
    "the SDK's action would, signed locally with a counted nonce and a gas limit estimated once per kind of write, mined many to a block",
    "(bench/scale/sender.ts); every receipt is checked and the gas figures are the receipts'. Listings and consents are signed by the SDK's actions.",
    "The wallet rows: member 3 gets 200 stamps and 800 rewards (a transaction each) at the first size and keeps them; the built wallet is",
    "served against the chain with that member as its test account, and Chromium times 3 fresh loads (the median) of the Collection, from",
    "opening the page until every stamp is shown, and of the History, from opening it until its rows are shown.",
    "",
    `Machine: ${machine}. Load average (1, 5, 15 min) ${run.loadAtStart.map((l) => l.toFixed(1)).join(", ")} at the start and ${loadAtEnd.map((l) => l.toFixed(1)).join(", ")} at the end:`,
    "the machine was shared with other work, so times and rates are this machine's on that day; the slopes (how a figure grows",
    "with the program) are what carries over.",
    "",
    "## Figures by size",
    "",
    "Slope: least squares of log(figure) against log(members). A total growing in proportion has slope 1; a figure per member",
    "or per request that does not grow has slope 0. Flagged **faster than linear**: a total above 1.1, a per-member or",
    "per-request figure above 0.1, a rate below -0.1. Gas per member is over the operations of the step that grew the program to that size.",
    "",
    ...figuresTable(sizes, rows),
    "",
    `![Each figure against members, log-log](scale-${date}.svg)`,
    "",
    "## Growing faster than linear",
    "",
    ...(fast.length === 0
      ? ["Nothing measured grows faster than linear at these sizes."]
      : fast.map((f) => `- ${f.name}: slope ${slope(sizes, f.values)!.toFixed(2)}. ${why(f.name)}`)),
    "",
    ...walletLines(steps),
    `## Cost per member at ${gwei} gwei, in the chain's coin (ETH)`,
    "",
    `| operation | ${sizes.map((n) => `${n.toLocaleString("en-US")} members`).join(" | ")} |`,
    `|---|${sizes.map(() => "---:").join("|")}|`,
    ...OPERATIONS.map(([op, label]) => `| ${label} | ${steps.map((s) => cost(perMember(s.gas[op]))).join(" | ")} |`),
    "",
    "## Where the time goes",
    "",
    `The run took ${(totalSeconds / 60).toFixed(1)} minutes. By phase (all sizes):`,
    "",
    "| phase | seconds | share |",
    "|---|---:|---:|",
    ...Object.entries(phases).map(([name, s]) => `| ${name} | ${s.toFixed(0)} | ${((s / totalSeconds) * 100).toFixed(0)} % |`),
    "",
    ...projection(steps, totalSeconds),
    "",
    `Growing the program: ${transactions.toLocaleString("en-US")} transactions in all, ${batches} of them batches of ${run.options.batch} members ` +
      `(${batchGas}), each executed once by the chain (no simulation). Within the growth (all sizes): ` +
      growPhases(steps) +
      ".",
    "",
    `Of the growth, deriving the members' keys took ${phase((s) => s.seconds.keys).toFixed(0)} s. The order book's runs: ${run.options.connections} connections, ${run.options.seconds} s each, SQLite book.`,
    "",
  ].join("\n");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `scale-${date}.md`), md);
  fs.writeFileSync(path.join(dir, `scale-${date}.svg`), chartSvg(sizes, rows));
  const json = {
    date,
    machine,
    loadAverageAtStart: run.loadAtStart,
    loadAverageAtEnd: loadAtEnd,
    gasPriceGwei: gwei,
    sizes,
    steps,
    figures: rows.map((f) => ({ ...f, slope: slope(sizes, f.values) })),
    seconds: { total: totalSeconds, ...phases },
  };
  fs.writeFileSync(
    path.join(dir, `scale-${date}.json`),
    `${JSON.stringify(json, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`,
  );
}

/** The growth's time by phase over all steps ("batches 812 s (91 %), purchases 20 s (2 %), ..."), largest first. */
function growPhases(steps: Step[]): string {
  const totals = new Map<string, number>();
  for (const s of steps) for (const [p, t] of Object.entries(s.seconds.growPhases ?? {})) totals.set(p, (totals.get(p) ?? 0) + t);
  const all = [...totals.values()].reduce((a, b) => a + b, 0);
  if (all === 0) return "its phases were not timed in this run";
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([p, t]) => `${p} ${t.toFixed(0)} s (${((t / all) * 100).toFixed(0)} %)`)
    .join(", ");
}

/**
 * Without the 100,000-member step: its time projected from the last step's (the growth at the last step's seconds
 * per new member, everything else at its slope), so a reader knows what a full run would take on this machine.
 */
function projection(steps: Step[], totalSeconds: number): string[] {
  const last = steps.at(-1);
  if (!last || last.members >= 100_000 || steps.length < 2) return [];
  const previous = steps.at(-2)!;
  const grow = (last.seconds.grow / (last.members - previous.members)) * (100_000 - last.members);
  const rest = (s: Step) => s.seconds.book + Object.values(s.seconds.ledger).reduce((t, v) => t + v, 0);
  const restSlope = slope([previous.members, last.members], [rest(previous), rest(last)]) ?? 1;
  // Between their own slope (their fixed costs, processes starting, weigh less at a bigger size) and linear.
  const low = rest(last) * (100_000 / last.members) ** Math.min(restSlope, 1);
  const high = rest(last) * (100_000 / last.members);
  const minutes = (other: number) => ((totalSeconds + grow + other) / 60).toFixed(0);
  return [
    "",
    `Not run to 100,000 members here. Projected on this machine at this load: growing from ${last.members.toLocaleString("en-US")} ` +
      `to 100,000 members ${(grow / 60).toFixed(0)} min (at the last step's time per new member), the ledger and the book at ` +
      `100,000 ${(low / 60).toFixed(0)} to ${(high / 60).toFixed(0)} min (at their slope, ${restSlope.toFixed(2)}, or linear): ` +
      `a whole run of ${minutes(low)} to ${minutes(high)} min, the growth of the program most of it.`,
  ];
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
