/**
 * An ERC-4337 bundler for development: Pimlico's Alto (`@pimlico/alto`, from npm) run as a child process against a
 * local JSON-RPC node, for the EntryPoint v0.8 at its canonical address. `npm run app` starts one beside its Hardhat
 * node, and the bundler test sends members' sponsored UserOps through it. In production a brand points
 * `punchcard serve --bundler <url>` at a hosted bundler instead.
 *
 * The node must already hold the EntryPoint at its canonical address (see `installEntryPoint`) and the
 * deterministic deployer Alto deploys its simulation contracts with ({@link installDeterministicDeployer} on a
 * Hardhat node); the executor and utility keys must hold coin (see {@link fundBundlerKeys}).
 */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { parseEther, type Address, type Hex, type WalletClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { waitForTransactionReceipt } from "viem/actions";
import { entryPoint08Address } from "viem/account-abstraction";

/**
 * Arachnid's deterministic deployment proxy (CREATE2 with a 32-byte salt before the init code), the runtime code every
 * chain has at 0x4e59b44847b379578588920ca78fbf26c0b4956c: Alto deploys its simulation contracts through it.
 */
export const DETERMINISTIC_DEPLOYER: Address = "0x4e59b44847b379578588920ca78fbf26c0b4956c";
const DETERMINISTIC_DEPLOYER_CODE: Hex =
  "0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe03601600081602082378035828234f58015156039578182fd5b8082525050506014600cf3";

/** What the bundler's two keys get from a test account: far more than a development session spends on gas. */
export const BUNDLER_FUNDING = parseEther("10");

export interface StartBundlerParameters {
  /** The node's JSON-RPC URL (the EntryPoint v0.8 at its canonical address). */
  rpcUrl: string;
  /** The key that sends `handleOps` (and is paid back by the paymaster's deposit); it must hold coin. */
  executorKey: Hex;
  /** The key that deploys Alto's simulation contracts at start; it must hold coin. */
  utilityKey: Hex;
  /** The bundler's port; it listens on 127.0.0.1 only (default: a free port). */
  port?: number;
  /**
   * Enforce ERC-7562's validation rules with `debug_traceCall` (default false: Hardhat 2 has no tracer of the kind
   * Alto asks for). A hosted bundler enforces them; the paymaster and account are written to pass them.
   */
  safeMode?: boolean;
  /** The node's block time in ms, for Alto's polling (default 250: Hardhat mines at once). */
  blockTimeMs?: number;
  /** How long to wait for the bundler to answer (default 60 s). */
  startTimeoutMs?: number;
  /** Each line Alto prints (default: kept, and shown only if it fails to start). */
  log?: (line: string) => void;
}

export interface StartBundlerReturnType {
  /** The bundler's JSON-RPC URL: `eth_sendUserOperation`, `eth_estimateUserOperationGas`, receipts. */
  url: string;
  /** The child's process id. */
  pid: number;
  /** Stops the bundler (SIGTERM, then SIGKILL after 5 s) and resolves once the process has exited. */
  stop(): Promise<void>;
}

/**
 * Puts the deterministic deployment proxy at its usual address on a Hardhat node (`hardhat_setCode`), where the
 * keyless transaction that deploys it on public chains cannot be sent without funding its one-time sender.
 *
 * @example
 * await installDeterministicDeployer(hre.network.provider);
 */
export async function installDeterministicDeployer(provider: {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}): Promise<void> {
  const code = (await provider.request({ method: "eth_getCode", params: [DETERMINISTIC_DEPLOYER, "latest"] })) as Hex;
  if (code === "0x")
    await provider.request({ method: "hardhat_setCode", params: [DETERMINISTIC_DEPLOYER, DETERMINISTIC_DEPLOYER_CODE] });
}

/**
 * Sends {@link BUNDLER_FUNDING} from `funder` (a test account) to the executor and to the utility key.
 *
 * @example
 * await fundBundlerKeys(testAccount, { executorKey, utilityKey });
 */
export async function fundBundlerKeys(funder: WalletClient, keys: { executorKey: Hex; utilityKey: Hex }): Promise<void> {
  if (!funder.account) throw new Error("the funder has no account");
  for (const key of [keys.executorKey, keys.utilityKey]) {
    const hash = await funder.sendTransaction({
      account: funder.account,
      chain: funder.chain,
      to: privateKeyToAccount(key).address,
      value: BUNDLER_FUNDING,
    });
    await waitForTransactionReceipt(funder, { hash });
  }
}

/** A port free on 127.0.0.1 now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Alto's command line (its `alto` bin), run with this Node. */
function altoCli(): string {
  return path.join(path.dirname(require.resolve("@pimlico/alto")), "cli", "alto.js");
}

/**
 * Preloaded into Alto's process: its servers listen on 127.0.0.1 only. Alto binds 0.0.0.0 and has no option for the
 * host; a development bundler (its executor key funded) is for this machine, not for its network.
 */
const LOOPBACK_PRELOAD = path.join(__dirname, "bundlerLoopback.cjs");

/**
 * Starts Alto for the EntryPoint v0.8 at its canonical address and resolves once it answers
 * `eth_supportedEntryPoints`; rejects with Alto's last lines if it exits or does not answer in time (and leaves no
 * process behind).
 *
 * @example
 * const bundler = await startBundler({ rpcUrl: "http://127.0.0.1:8545", executorKey, utilityKey });
 * // ... createBundlerClient({ transport: http(bundler.url) }) ...
 * await bundler.stop();
 */
export async function startBundler(parameters: StartBundlerParameters): Promise<StartBundlerReturnType> {
  const port = parameters.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const args = [
    "--require",
    LOOPBACK_PRELOAD,
    altoCli(),
    "--entrypoints",
    entryPoint08Address,
    "--rpc-url",
    parameters.rpcUrl,
    "--executor-private-keys",
    parameters.executorKey,
    "--utility-private-key",
    parameters.utilityKey,
    "--port",
    String(port),
    "--safe-mode",
    String(parameters.safeMode ?? false),
    "--block-time",
    String(parameters.blockTimeMs ?? 250),
    "--deploy-simulations-contract",
    "true",
    "--deterministic-deployer-address",
    DETERMINISTIC_DEPLOYER,
    // A development chain: no refills, no wallet monitor, quick bundles.
    "--refilling-wallets",
    "false",
    "--utility-wallet-monitor",
    "false",
    "--min-bundle-interval",
    "50",
    "--max-bundle-interval",
    "250",
    "--enable-cors",
    "true",
    "--log-level",
    "info",
  ];
  const child = spawn(process.execPath, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_NO_WARNINGS: "1" },
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (!line.trim()) continue;
      lines.push(line);
      if (lines.length > 40) lines.shift();
      parameters.log?.(line);
    }
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  // However this process ends (an error, process.exit), the bundler ends with it: no child is left running.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  void exited.then(() => process.off("exit", killOnExit));

  const stop = () => stopChild(child, exited);
  try {
    await waitUntilAnswering(url, exited, parameters.startTimeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    throw new Error(`The bundler (Alto) did not start: ${(error as Error).message}\n${lines.slice(-15).join("\n")}`, {
      cause: error,
    });
  }
  return { url, pid: child.pid ?? -1, stop };
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(killer);
}

async function waitUntilAnswering(url: string, exited: Promise<number | null>, timeoutMs: number): Promise<void> {
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone !== undefined) throw new Error(`it exited with code ${gone}`);
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_supportedEntryPoints", params: [] }),
      });
      const body = (await response.json()) as { result?: string[] };
      if (body.result?.some((a) => a.toLowerCase() === entryPoint08Address.toLowerCase())) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`it did not answer on ${url} within ${timeoutMs / 1000} s`);
}
