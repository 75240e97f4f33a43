/**
 * `punchcard serve`: the program server, its order book and its relayer, in one process.
 *
 *   punchcard serve --program deployments/localhost/example.json --rpc http://127.0.0.1:8545
 */
import fs from "node:fs";
import { isIP } from "node:net";
import { createPublicClient, createWalletClient, defineChain, getAddress, http, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { z } from "zod";
import { PunchcardError } from "../errors.js";
import { LinkStore } from "../node/linkStore/linkStore.js";
import { programFromRecord } from "../program.js";
import { paymentsEnvironment, paymentsOptionsOf, type PaymentsOptions } from "../server/payments/config.js";
import { defaultRelayPolicy, relayPolicyOf } from "../server/relay/policy.js";
import { receiptPollingInterval } from "../server/relay/receiptPolling.js";
import { startProgramServer } from "../server/start.js";
import { defineCommand, UsageError } from "./command.js";
import { readRecordFile } from "./deploy.js";

const whole = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^[0-9]+$/, `--${name} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `--${name} must be from ${min} to ${max}`);

/** The server's configuration from flags and environment, checked before anything starts. */
export const serveConfigSchema = z.object({
  program: z.string().min(1, "--program must name a deployment record"),
  rpc: z.string().regex(/^https?:\/\/\S+$/, "--rpc must be an http(s) URL"),
  db: z.string().min(1, "--db must be an SQLite file path or a postgres:// URL"),
  port: whole("port", 0, 65_535),
  host: z.string().min(1, "--host must be a host name or an IP address"),
  confirmations: whole("confirmations", 0, 1_000),
  quota: whole("quota", 0, 1_000_000),
  pollMs: whole("poll-ms", 10, 600_000),
  rate: whole("rate", 0, 10_000_000),
  memberRate: whole("member-rate", 0, 10_000_000),
  // The book's limits have their defaults here too, so a configuration written before them still parses.
  maxOpenPerMember: z
    .string()
    .default("200")
    .pipe(whole("max-open-per-member", 1, 1_000_000)),
  maxOpenPerStamp: z
    .string()
    .default("20")
    .pipe(whole("max-open-per-stamp", 1, 1_000_000)),
  retainDays: z
    .string()
    .default("30")
    .pipe(whole("retain-days", 1, 36_500)),
  // Never echoed in a message: a key is named by where it came from, not by its value.
  relayerKeys: z
    .array(z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x hex private key of 32 bytes"))
    .refine((keys) => new Set(keys.map((k) => k.toLowerCase())).size === keys.length, "must not repeat a key")
    .default([]),
  trustProxy: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(",").map((a) => a.trim()) : []))
    .refine((list) => list.every((a) => isIP(a) !== 0), "--trust-proxy must be IP addresses separated by commas"),
  rateLimits: z.enum(["instance", "shared"], { message: "--rate-limits must be instance or shared" }).optional(),
  corsOrigins: z
    .string()
    .optional()
    .transform((s) =>
      s
        ? s
            .split(",")
            .map((o) => o.trim())
            .filter(Boolean)
        : [],
    ),
});
export type ServeConfig = z.infer<typeof serveConfigSchema>;

export const serveCommand = defineCommand({
  name: "serve",
  summary: "Run the program server: an order book members trade through, and a relayer that pays their gas.",
  usage: "--program <record> --rpc <url> [options]",
  options: {
    program: { type: "string", value: "<file>", required: true, description: "deployment record of the program" },
    rpc: { type: "string", value: "<url>", default: "http://127.0.0.1:8545", description: "JSON-RPC endpoint of the chain" },
    db: {
      type: "string",
      value: "<path|url>",
      default: "punchcard-server.sqlite",
      description: "SQLite file, or postgres://... (may be the ledger's database)",
    },
    port: { type: "string", value: "<n>", default: "8787", description: "port to listen on (0: any free one)" },
    host: { type: "string", value: "<host>", default: "127.0.0.1", description: "address to listen on" },
    confirmations: { type: "string", value: "<n>", default: "0", description: "blocks behind the head before an event counts" },
    quota: { type: "string", value: "<n>", default: "20", description: "relayed actions per member per UTC day" },
    "poll-ms": { type: "string", value: "<ms>", default: "1000", description: "how often to look for new blocks" },
    "relayer-key": {
      type: "string",
      value: "<refused>",
      description: "refused: a key on the command line shows in ps and the shell's history; see PUNCHCARD_RELAYER_KEY",
    },
    "relayer-key-file": {
      type: "string",
      value: "<path>",
      description: "file of the relayer's private keys, one per line (# comments); several keys send in parallel",
    },
    "relay-policy": {
      type: "string",
      value: "<file>",
      description: "JSON file of the relayer's sponsorship policy (who, which actions, daily budgets; see docs/relaying.md)",
    },
    rate: { type: "string", value: "<n>", default: "0", description: "requests per minute per client address (0: no limit)" },
    "member-rate": {
      type: "string",
      value: "<n>",
      description: "orders per minute one member may post (0: no limit; default PUNCHCARD_MEMBER_RATE or 0)",
    },
    cors: { type: "string", value: "<origins>", description: "comma-separated origins allowed by CORS (default: none)" },
    "trust-proxy": {
      type: "string",
      value: "<ips>",
      description: "comma-separated IPs of the reverse proxies in front; their X-Forwarded-For names the client",
    },
    "rate-limits": {
      type: "string",
      value: "<scope>",
      description: "where --rate and --member-rate count: instance (default, each process) or shared (the database)",
    },
    "link-store": {
      type: "string",
      value: "<path|url>",
      description:
        "the brand's link store (SQLite file or postgres://...): enables POST /links/forget, where a member's signed request erases their record; needs PUNCHCARD_BRAND_KEY",
    },
    "max-open-per-member": {
      type: "string",
      value: "<n>",
      default: "200",
      description: "open orders one member may have in the book; one more is refused (422 too_many_orders)",
    },
    "max-open-per-stamp": {
      type: "string",
      value: "<n>",
      default: "20",
      description: "open listings and swaps of one stamp; one more is refused (422 too_many_orders_for_stamp)",
    },
    "retain-days": {
      type: "string",
      value: "<n>",
      default: "30",
      description: "days a filled, cancelled, expired or stale order is kept before it is pruned",
    },
    paymaster: {
      type: "string",
      value: "<address>",
      description:
        "the brand's BrandPaymaster: with --account-factory and PUNCHCARD_SPONSOR_KEY, serves POST /userops/sponsor (members' passkey UserOps, under the relay policy)",
    },
    "account-factory": {
      type: "string",
      value: "<address>",
      description: "the program's MemberAccountFactory (with --paymaster)",
    },
    bundler: {
      type: "string",
      value: "<url>",
      description: "the ERC-4337 bundler members send sponsored UserOps to (any hosted one); each sponsorship names it",
    },
    payments: {
      type: "string",
      value: "<file>",
      description: "JSON file of points bought by card (price list, webhook provider; see docs/payments.md): serves /payments",
    },
  },
  environment: {
    ...paymentsEnvironment,
    PUNCHCARD_RELAYER_KEY:
      "the relayer's private key (several: comma-separated), funded with the chain's coin; without a key, /relay is off",
    PUNCHCARD_SPONSOR_KEY: "with --paymaster: the BrandPaymaster's sponsor key, which signs the UserOps the policy allows",
    PUNCHCARD_MEMBER_RATE: "orders per minute one member may post, when --member-rate is not given",
    PUNCHCARD_BRAND_KEY:
      "with --link-store: the brand's private key (the consent registry's brand role), which unlinks a forgotten wallet still linked on-chain",
  },
  notes:
    "Stops cleanly on Ctrl-C or SIGTERM within a few seconds: the port closes, the chain follower stops between two groups of checks (a batch is written whole or not at all), the leader lock (Postgres) is let go, the database closes. Several instances may share one Postgres database: all answer requests, one (elected by an advisory lock) follows the chain. Failures are logged with RPC URLs cut to their host.",
  async run({ values, out }) {
    if (values["relayer-key"] !== undefined)
      throw new UsageError(
        "--relayer-key is refused: a key on the command line shows in the process list and the shell's history. Put it in PUNCHCARD_RELAYER_KEY, or in a file only you can read and pass --relayer-key-file <path>.",
      );
    const keyFile = values["relayer-key-file"];
    const fromEnv = process.env.PUNCHCARD_RELAYER_KEY ?? "";
    const relayerKeys = keyFile === undefined ? fromEnv.split(",") : readKeyFile(keyFile);
    const parsed = serveConfigSchema.safeParse({
      program: values.program,
      rpc: values.rpc,
      db: values.db,
      port: values.port,
      host: values.host,
      confirmations: values.confirmations,
      quota: values.quota,
      pollMs: values["poll-ms"],
      rate: values.rate,
      memberRate: values["member-rate"] ?? (process.env.PUNCHCARD_MEMBER_RATE || "0"),
      // An empty variable is no key.
      relayerKeys: relayerKeys.map((k) => k.trim()).filter(Boolean),
      corsOrigins: values.cors,
      trustProxy: values["trust-proxy"],
      rateLimits: values["rate-limits"],
      maxOpenPerMember: values["max-open-per-member"],
      maxOpenPerStamp: values["max-open-per-stamp"],
      retainDays: values["retain-days"],
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = keyFile === undefined ? "PUNCHCARD_RELAYER_KEY" : `the keys of ${keyFile}`;
      throw new UsageError(
        issue.path[0] === "relayerKeys"
          ? `Each of ${where} ${issue.message} (key ${Number(issue.path[1] ?? 0) + 1}).`
          : issue.message + ".",
      );
    }
    const config = parsed.data;
    const linkStoreOption = linkStoreOptionOf(values["link-store"]);
    const userOps = userOpsOptionOf(values.paymaster, values["account-factory"], values.bundler);
    // --quota is the policy's member.actionsPerDay, unless the policy file sets it.
    const relayPolicy = relayPolicyFrom(values["relay-policy"], config.quota);
    const record = readRecordFile(config.program);
    const program = programFromRecord(record);
    // A posted order's chain reads go out together; JSON-RPC batching sends them as one HTTP request (a handful of
    // calls, under providers' batch limits). Against a local node it cut the server's time per post by 40 %
    // (bench:server, 147 to 243 posts/s): each HTTP round trip costs the server more than the call it carries.
    const transport = http(config.rpc, { retryCount: 1, batch: { batchSize: 16 } });
    const probe = createPublicClient({ transport });
    let chainId: number;
    try {
      chainId = await probe.getChainId();
    } catch (error) {
      throw new PunchcardError(`Cannot reach the RPC at ${config.rpc}.`, { hint: "Check --rpc.", cause: error });
    }
    if (chainId !== program.chainId)
      throw new PunchcardError(
        `The RPC at ${config.rpc} serves chain ${chainId}, but the program is on chain ${program.chainId}.`,
      );
    const chain = defineChain({
      id: chainId,
      name: record.network,
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [config.rpc] } },
    });
    const pollingInterval = Math.min(config.pollMs, 1_000);
    // A posted order's chain reads go out at once (getOrderStatus, the quote). Where the chain has the canonical
    // Multicall3 (nearly every public chain) viem folds them into one eth_call: one round trip to a remote RPC.
    // Elsewhere (a development node) they go as parallel requests; Multicall3 sent as code with every call cost
    // the Hardhat node more than the round trips it saved.
    const multicall3 = "0xcA11bde05977b3631167028862bE2a173976CA11";
    const hasMulticall3 = ((await probe.getCode({ address: multicall3 }).catch(() => undefined)) ?? "0x") !== "0x";
    const client = createPublicClient({
      chain: hasMulticall3 ? { ...chain, contracts: { multicall3: { address: multicall3 } } } : chain,
      transport,
      ...(hasMulticall3 ? { batch: { multicall: true } } : {}),
      pollingInterval,
    });
    const linkStore =
      linkStoreOption &&
      (await LinkStore.open(linkStoreOption.location, {
        program,
        brand: createWalletClient({ account: privateKeyToAccount(linkStoreOption.brandKey), chain, transport, pollingInterval }),
      }));
    // A relay answers once its transaction is mined: its receipt is looked for at the pace of the chain's blocks.
    const relayPolling =
      config.relayerKeys.length > 0 ? await receiptPollingInterval(probe, { ceiling: pollingInterval }) : pollingInterval;
    const relayers = config.relayerKeys.map((key) =>
      createWalletClient({ account: privateKeyToAccount(key as Hex), chain, transport, pollingInterval: relayPolling }),
    );

    const payments = paymentsFrom(values.payments, () => {
      const key = process.env.PUNCHCARD_MINTER_KEY ?? "";
      if (!/^0x[0-9a-fA-F]{64}$/.test(key))
        throw new UsageError("--payments needs PUNCHCARD_MINTER_KEY: a 0x hex private key of 32 bytes with the minter role.");
      return createWalletClient({ account: privateKeyToAccount(key as Hex), chain, transport, pollingInterval });
    });

    const server = await startProgramServer({
      program,
      client,
      db: config.db,
      port: config.port,
      host: config.host,
      confirmations: BigInt(config.confirmations),
      pollingInterval: config.pollMs,
      relayPolicy,
      corsOrigins: config.corsOrigins,
      trustedProxies: config.trustProxy,
      rateLimitScope: config.rateLimits ?? "instance",
      maxOpenOrdersPerMember: config.maxOpenPerMember,
      maxOpenOrdersPerStamp: config.maxOpenPerStamp,
      retainClosedDays: config.retainDays,
      ...(config.rate > 0 ? { rateLimitPerMinute: config.rate } : {}),
      ...(config.memberRate > 0 ? { memberRateLimitPerMinute: config.memberRate } : {}),
      ...(relayers.length > 0 ? { relayer: relayers } : {}),
      ...(payments ? { payments: { brandName: record.brand, ...payments } } : {}),
      ...(linkStore ? { linkStore } : {}),
      ...(userOps ? { userOps } : {}),
    }).catch(async (error: unknown) => {
      await linkStore?.close();
      throw error;
    });
    out(`Serving ${record.brand} (chain ${chainId}) at ${server.url}\n`);
    if (hasMulticall3)
      out(`Reading the chain through Multicall3 (${multicall3}), one call for the posts checked at one moment\n`);
    out(
      relayers.length > 0
        ? `Relaying from ${relayers.map((r) => r.account.address).join(", ")}, ${relayPolicy.member.actionsPerDay} per member per day, each receipt looked for every ${relayPolling} ms\n`
        : "Relay off: no relayer key\n",
    );
    if (payments)
      out(
        `Points by card from ${payments.minter.account.address}: POST /payments/stripe, /payments/webhook${payments.checkout ? ", /payments/checkout" : ""}\n`,
      );
    if (userOps)
      out(`Sponsoring members' UserOps through ${userOps.paymaster}${userOps.bundler ? `, sent to ${userOps.bundler}` : ""}\n`);
    if (linkStore) out("Forget requests erase records of the link store (POST /links/forget)\n");
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        void server
          .close()
          .then(() => linkStore?.close())
          .then(resolve);
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
    out("Stopped.\n");
    return 0;
  },
});

/**
 * --link-store and the brand's key it needs (PUNCHCARD_BRAND_KEY), checked before anything is opened; none without
 * the option. The key signs the on-chain unlink of a forgotten wallet that is still linked.
 */
function linkStoreOptionOf(location: string | undefined): { location: string; brandKey: Hex } | undefined {
  if (location === undefined) return undefined;
  if (location.trim() === "") throw new UsageError("--link-store must be an SQLite file path or a postgres:// URL.");
  const key = process.env.PUNCHCARD_BRAND_KEY?.trim() ?? "";
  if (!/^0x[0-9a-fA-F]{64}$/.test(key))
    throw new UsageError(
      "--link-store needs the brand's key in PUNCHCARD_BRAND_KEY (a 0x hex private key of 32 bytes): it unlinks on-chain a forgotten wallet that is still linked.",
    );
  return { location, brandKey: key as Hex };
}

/** --paymaster, --account-factory, --bundler and the sponsor key (PUNCHCARD_SPONSOR_KEY); none without --paymaster. */
function userOpsOptionOf(paymaster: string | undefined, factory: string | undefined, bundler: string | undefined) {
  if (paymaster === undefined) {
    if (factory !== undefined || bundler !== undefined) throw new UsageError("--account-factory and --bundler need --paymaster.");
    return undefined;
  }
  const address = /^0x[0-9a-fA-F]{40}$/;
  if (!address.test(paymaster)) throw new UsageError("--paymaster must be a 0x address of 20 bytes.");
  if (factory === undefined || !address.test(factory))
    throw new UsageError("--paymaster needs --account-factory, the program's MemberAccountFactory (a 0x address).");
  if (bundler !== undefined && !/^https?:\/\/\S+$/.test(bundler)) throw new UsageError("--bundler must be an http(s) URL.");
  const key = process.env.PUNCHCARD_SPONSOR_KEY?.trim() ?? "";
  if (!/^0x[0-9a-fA-F]{64}$/.test(key))
    throw new UsageError("--paymaster needs the sponsor key in PUNCHCARD_SPONSOR_KEY (a 0x hex private key of 32 bytes).");
  return {
    paymaster: getAddress(paymaster),
    factory: getAddress(factory),
    sponsor: privateKeyToAccount(key as Hex),
    ...(bundler === undefined ? {} : { bundler }),
  };
}

/** The keys of a key file: one per line, blank lines and `#` comments skipped. Its content is never printed. */
function readKeyFile(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`--relayer-key-file ${file} cannot be read.`);
  }
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*/, "").trim())
    .filter(Boolean);
}

/** The sponsorship policy of a JSON file (see docs/relaying.md); what it leaves out keeps its default. */
function relayPolicyFrom(file: string | undefined, quota: number) {
  const base = { ...defaultRelayPolicy, member: { ...defaultRelayPolicy.member, actionsPerDay: quota } };
  if (file === undefined) return base;
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new UsageError(`--relay-policy ${file} is not a readable JSON file: ${(error as Error).message}`);
  }
  try {
    return relayPolicyOf(json, base);
  } catch (error) {
    throw new UsageError(`--relay-policy ${file}: ${(error as Error).message}`);
  }
}

/** The payments options of `--payments <file>`, with the secrets from the environment; none without the flag. */
function paymentsFrom(file: string | undefined, minter: () => PaymentsOptions["minter"]): PaymentsOptions | undefined {
  if (file === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new UsageError(`--payments ${file} is not a readable JSON file: ${(error as Error).message}`);
  }
  try {
    return paymentsOptionsOf(json, { env: process.env, minter: minter() });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--payments ${file}: ${(error as Error).message}`);
  }
}
