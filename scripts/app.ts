/**
 * `npm run app`: the member web wallet on a local chain, in one command. It starts a Hardhat node (the
 * in-process chain served over JSON-RPC, as `npx hardhat node` does), runs the demo program on it (the SDK's
 * `runDemo`: deploy, members, stamps, points, consent, trades), starts the program server (the order book and the
 * brand's relayer, `startProgramServer`, on a loopback port with its SQLite file in a temporary folder), serves the
 * built app (app/dist, built first if missing) with the program it shows and the server's URL (/program.json), and
 * prints the URLs and the test accounts.
 * It also links Fay as a minor with a guardian, so the wallet has a minor to show, and gives Hal points but no native
 * coin, so the wallet has a member who can only act through the relayer.
 * Members' passkey accounts: the EntryPoint v0.8 at its canonical address, the demo's factory and paymaster, and a
 * bundler (Alto, a child process) against the node; program.json's `accounts` names them (scripts/appAccounts.ts).
 * Ctrl-C (SIGINT) or SIGTERM closes the web server, the program server, the bundler and the node, removes the temporary folder
 * and exits: nothing is left running.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import hre from "hardhat";
import { JsonRpcServer } from "hardhat/internal/hardhat-network/jsonrpc/server";
import { getAddress, isAddressEqual } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { cancelProgramEnd, getProgramInfo, mintStamps, recordFromProgram, rewardPoints } from "@punchcard/sdk";
import { signConsentLink, signGuardianApproval, type Program } from "@punchcard/sdk";
import { LinkStore } from "@punchcard/sdk/node";
import {
  defaultRelayPolicy,
  hostedCheckout,
  startProgramServer,
  type PaymentsOptions,
  type StartProgramServerReturnType,
} from "@punchcard/sdk/server";
import { accountsOf } from "../sdk/src/cli/clients";
import { runDemo } from "../sdk/src/cli/demo/index";
import { startAppAccounts, type AppAccounts } from "./appAccounts";
import { serveApp } from "./appServer";
import type { StartBundlerReturnType } from "./bundler";
import { startTestCheckout, type TestCheckout } from "./testCheckout";

const HELP = `Usage: npm run app -- [options]

Starts a local Hardhat node, deploys the demo program (members, stamps, points, consent), starts the
program server (order book and the brand's relayer, on a free loopback port), deploys the member
accounts' factory and paymaster and starts an ERC-4337 bundler (Alto), serves the member web
wallet and prints its URL and the test accounts. Ctrl-C stops all of it.

Options:
  --port <n>        the app's port (default 5173; 0: any free port)
  --chain-port <n>  the node's JSON-RPC port (default 8545; 0: any free port)
  --verbose         print every step of the demo program
  --sell-points     withdraw the end of the program the demo announces, so "Buy points" sells (no points
                    are sold while an end is announced)
  --help            this text
`;

const APP_DIR = path.join(__dirname, "..", "app");
const DIST = path.join(APP_DIR, "dist");

function portOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`--${name} must be a port number (0-65535); got "${value}".`);
  return port;
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * The demo's minor (Cleo) comes of age before it ends; so that the wallet has a minor to show, the brand links Fay
 * as a minor for rewards and marketing, approved by Cleo's parent as her guardian, in the brand's link store the
 * demo wrote (`storeFile`), which the program server then serves.
 */
async function linkMinor(rpcUrl: string, program: Program, names: Map<string, string>, storeFile: string): Promise<void> {
  const clients = await accountsOf(rpcUrl);
  const who = (name: string) => {
    const client = clients.find((c) => names.get(c.account.address.toLowerCase()) === name);
    if (!client) throw new Error(`the demo has no account named ${name}`);
    return client;
  };
  const [fay, guardian, backend] = [who("Fay"), who("Cleo's parent"), who("backend")];
  const store = await LinkStore.open(storeFile, { program, brand: backend });
  try {
    const { commitment } = await store.prepareLink({ customerId: "cust-0006", wallet: fay.account.address });
    const consent = await signConsentLink(fay, { program, commitment, purposes: ["rewards", "marketing"] });
    const guardianSignature = await signGuardianApproval(guardian, { program, message: consent.message });
    await store.link({ customerId: "cust-0006", consent, minor: true, guardian: guardian.account.address, guardianSignature });
  } finally {
    await store.close();
  }
}

/** The account the wallet's zero-coin member uses: Hardhat's last unlocked account, which the demo leaves alone. */
const ZERO_COIN_INDEX = 19;
/** Points Hal starts with: enough to buy a listed stamp through the relayer. */
const ZERO_COIN_POINTS = 500n;

/** What the wallet's "Buy points" page sells on the local chain, in euro cents. */
const DEMO_PRICE_LIST: PaymentsOptions["priceList"] = {
  small: { points: 500n, amount: 499n, currency: "eur" },
  large: { points: 1_200n, amount: 999n, currency: "eur" },
};
/** The test checkout's provider name and secrets: local only, thrown away at exit. */
const DEMO_WEBHOOK = {
  provider: "testpay",
  secret: "test-checkout-webhook-secret-of-npm-run-app",
  brandSecret: "receipt-secret-of-npm-run-app-local-only",
} as const;

/** Stamps of the tradable series the brand mints to Ada, so the Market page has something to list. */
const ADA_EXTRA_STAMPS = 3;

/**
 * The Market page's cast: Ada gets a few more stamps of the first tradable series to list, and Hal is a member
 * with points and no native coin, whose key the node holds (so the developer mode can sign as Hal): the brand
 * rewards him points, then his native balance is set to 0. He can only act through the relayer.
 */
async function marketCast(rpcUrl: string, program: Program, names: Map<string, string>): Promise<void> {
  const clients = await accountsOf(rpcUrl);
  const hal = clients[ZERO_COIN_INDEX];
  const backend = clients.find((c) => names.get(c.account.address.toLowerCase()) === "backend");
  if (!hal || !backend || names.has(hal.account.address.toLowerCase()))
    throw new Error(`account ${ZERO_COIN_INDEX} is not free for the zero-coin member`);
  await rewardPoints(backend, {
    program,
    reason: "welcome-bonus",
    rewards: [{ member: hal.account.address, amount: ZERO_COIN_POINTS }],
  });
  await hal.request({ method: "hardhat_setBalance" as never, params: [hal.account.address, "0x0"] as never });
  names.set(hal.account.address.toLowerCase(), "Hal");
  const ada = clients.find((c) => names.get(c.account.address.toLowerCase()) === "Ada");
  const tradable = (await getProgramInfo(backend, { program })).series.find((s) => !s.soulbound);
  if (!ada || !tradable) throw new Error("the demo has no Ada or no tradable series");
  await mintStamps(backend, {
    program,
    seriesId: tradable.seriesId,
    to: Array.from({ length: ADA_EXTRA_STAMPS }, () => ada.account.address),
  });
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      "chain-port": { type: "string" },
      verbose: { type: "boolean", default: false },
      "sell-points": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const appPort = portOption("port", values.port, 5173);
  const chainPort = portOption("chain-port", values["chain-port"], 8545);

  if (!fs.existsSync(path.join(DIST, "index.html"))) {
    console.log("Building the app (npm run build -w app)…");
    const built = spawnSync("npm", ["run", "build", "-w", "app"], { stdio: "inherit", cwd: path.join(APP_DIR, "..") });
    if (built.status !== 0) throw new Error("npm run build -w app failed; see above.");
  }

  const chain = new JsonRpcServer({ hostname: "127.0.0.1", port: chainPort, provider: hre.network.provider });
  let programJson = "";
  const web = serveApp({ dist: DIST, programJson: () => programJson });
  // Filled once the program server is up; stop() closes whatever has started by then.
  const running: {
    programServer?: StartProgramServerReturnType;
    linkStore?: LinkStore;
    checkout?: TestCheckout;
    bundler?: StartBundlerReturnType;
  } = {};
  // The program server's SQLite file and the brand's link store (the demo's, links.sqlite) live here, and go at exit.
  const serverDir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-app-server-"));
  const removeServerDir = () => fs.rmSync(serverDir, { recursive: true, force: true });
  process.on("exit", removeServerDir);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the app, the program server and the node…`);
    web.closeAllConnections();
    await Promise.all([
      web.listening ? new Promise((resolve) => web.close(resolve)) : undefined,
      running.programServer?.close().catch(() => undefined),
      running.checkout?.close(),
      running.bundler?.stop(),
    ]);
    await running.linkStore?.close().catch(() => undefined);
    await chain.close().catch(() => undefined);
    removeServerDir();
    console.log("Stopped.");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  let listening: { address: string; port: number };
  try {
    listening = await chain.listen();
  } catch (error) {
    throw new Error(
      `Could not start the node on port ${chainPort} (${(error as Error).message}): pass --chain-port 0 for any free port.`,
      { cause: error },
    );
  }
  const rpcUrl = `http://127.0.0.1:${listening.port}`;
  console.log(`Hardhat node on ${rpcUrl} (chain ${hre.network.config.chainId}).`);
  console.log("Deploying the demo program and playing its members' first weeks…");
  const started = Date.now();
  // The node is this script's own, started above: the demo may move its clock.
  const demo = await runDemo({
    rpc: rpcUrl,
    moveClock: true,
    linkStoreDir: serverDir,
    log: values.verbose ? (line) => console.log(line) : () => undefined,
  });
  console.log(`Demo program ready in ${((Date.now() - started) / 1000).toFixed(1)} s: Stamps ${demo.program.stamps}.`);

  const { config, program } = demo;
  const linkStoreFile = path.join(serverDir, "links.sqlite");
  await linkMinor(rpcUrl, program, demo.names, linkStoreFile);
  await marketCast(rpcUrl, program, demo.names);
  if (values["sell-points"]) {
    // The demo ends by announcing the program's end, and the contract sells no points during the notice.
    const brand = (await accountsOf(rpcUrl)).find((c) => isAddressEqual(c.account.address, demo.deployer));
    if (!brand) throw new Error("The demo's deployer is not an unlocked account of the node.");
    await cancelProgramEnd(brand, { program });
    console.log('The end the demo announced is withdrawn (--sell-points): "Buy points" sells.');
  }
  const record = recordFromProgram(program, {
    brand: config.brand,
    network: "localhost",
    configHash: demo.configHash,
    deployer: demo.deployer,
    units: {
      pointsSymbol: config.points.symbol,
      pointsDecimals: config.points.decimals,
      nativeSymbol: "ETH",
      nativeDecimals: 18,
    },
  });

  // Members' passkey accounts: the EntryPoint, the demo's factory and paymaster, and the bundler (Alto).
  const brandClient = (await accountsOf(rpcUrl)).find((c) => isAddressEqual(c.account.address, demo.deployer));
  if (!brandClient) throw new Error("The demo's deployer is not an unlocked account of the node.");
  const memberAccounts = await startAppAccounts(rpcUrl, {
    program,
    brand: brandClient,
    log: values.verbose ? (line) => console.log(line) : () => undefined,
  });
  running.bundler = memberAccounts.bundler;
  const appAccounts: AppAccounts = memberAccounts.accounts;
  record.contracts = { ...record.contracts, memberAccountFactory: appAccounts.factory, brandPaymaster: appAccounts.paymaster };
  console.log(`Bundler (Alto, pid ${memberAccounts.bundler.pid}) on ${appAccounts.bundlerUrl}, for the EntryPoint v0.8.`);

  const accounts = hre.network.config.accounts as { mnemonic: string; path: string };
  const testAccounts = [...demo.names].map(([address, name]) => ({ name, address: getAddress(address) }));
  const named = testAccounts.map(({ name }) => name);
  let port: number;
  try {
    port = await listen(web, appPort);
  } catch (error) {
    await chain.close();
    throw new Error(
      `Could not serve the app on port ${appPort} (${(error as Error).message}): pass --port 0 for any free port.`,
      {
        cause: error,
      },
    );
  }

  // The program server: the order book the Market page reads and posts to, and the brand's backend as the relayer
  // that submits what members sign. The app calls it from its own origin, so CORS allows exactly that origin.
  const backend = (await accountsOf(rpcUrl)).find((c) => demo.names.get(c.account.address.toLowerCase()) === "backend");
  if (!backend) throw new Error("the demo has no backend account");
  // The demo's link store, so that a member's "Forget me" reaches the brand (POST /links/forget) as it would live.
  const linkStore = (running.linkStore = await LinkStore.open(linkStoreFile, { program, brand: backend }));
  // Points bought by card: the test checkout plays the provider (its page, then a signed webhook), the backend's key
  // credits (it also relays: on this automining chain a nonce race is retried by the outbox like any failure).
  const checkout = (running.checkout = await startTestCheckout({ secret: DEMO_WEBHOOK.secret }));
  const payments: PaymentsOptions = {
    priceList: DEMO_PRICE_LIST,
    brandName: config.brand,
    brandSecret: DEMO_WEBHOOK.brandSecret,
    minter: backend,
    webhook: { provider: DEMO_WEBHOOK.provider, secret: DEMO_WEBHOOK.secret },
    checkout: hostedCheckout({ url: checkout.url, returnUrl: `http://127.0.0.1:${port}/#/buy` }),
    pollMs: 250,
  };
  const programServer = (running.programServer = await startProgramServer({
    program,
    client: backend,
    relayer: backend,
    // The demo chain's accounts hold its coin, and the wallet shows what the brand sponsors for them anyway.
    relayPolicy: { ...defaultRelayPolicy, selfPayBalance: 0n },
    db: path.join(serverDir, "server.sqlite"),
    port: 0,
    pollingInterval: 250,
    corsOrigins: [`http://127.0.0.1:${port}`, `http://localhost:${port}`],
    linkStore,
    payments,
    userOps: {
      sponsor: memberAccounts.sponsor,
      paymaster: appAccounts.paymaster,
      factory: appAccounts.factory,
      bundler: appAccounts.bundlerUrl,
    },
  }));
  checkout.setWebhookUrl(`${programServer.url}/payments/webhook`);
  console.log(`Program server on ${programServer.url} (order book and relayer; its database is removed at exit).`);
  console.log(`The brand's link store: ${linkStoreFile} (the demo's; "Forget me" erases from it; removed at exit).`);
  console.log(`Test checkout on ${checkout.url} (Buy points pays here: no card, a signed webhook).`);

  programJson = JSON.stringify(
    {
      brand: config.brand,
      rpcUrl,
      serverUrl: programServer.url,
      record,
      tiers: config.tiers.map((t) => ({ name: t.name, threshold: t.threshold.toString() })),
      perks: config.perks.map((p) => ({ id: p.id, name: p.name, description: p.description })),
      testAccounts: testAccounts.map(({ name, address }) => ({ name, address })),
      accounts: appAccounts,
    },
    null,
    2,
  );

  console.log("\nTest accounts (the node signs for them; import a key into a browser wallet to use it there):");
  const keys = new Map<string, string>();
  for (let i = 0; i < 20; i++) {
    const account = mnemonicToAccount(accounts.mnemonic, { addressIndex: i });
    keys.set(account.address.toLowerCase(), `0x${Buffer.from(account.getHdKey().privateKey!).toString("hex")}`);
  }
  const width = Math.max(...named.map((n) => n.length));
  for (const { name, address } of testAccounts) {
    console.log(`  ${name.padEnd(width)}  ${address}  key ${keys.get(address.toLowerCase()) ?? "(not from the mnemonic)"}`);
  }
  console.log(`\nThe member wallet: http://127.0.0.1:${port}/  (Ctrl-C stops the app, the program server and the node)`);
  return await new Promise<number>(() => undefined);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`npm run app: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
