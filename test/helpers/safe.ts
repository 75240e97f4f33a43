import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { encodeFunctionData, parseAbi, parseEventLogs, zeroAddress, type Address, type Hash, type Hex } from "viem";
import { recordFromProgram } from "@punchcard/sdk";
import { deployProgram } from "@punchcard/sdk/deploy";
import { testConfig, viemActors, type TestClient } from "./viem";

/**
 * The real Safe (Safe{Core} 1.4.1) from @safe-global/safe-contracts, deployed from the package's compiled artifacts:
 * the singleton, the proxy factory, and a Safe proxy set up with owners and a threshold, as the Safe app creates one.
 */
const artifacts = path.join(
  path.dirname(require.resolve("@safe-global/safe-contracts/package.json")),
  "build/artifacts/contracts",
);

function bytecodeOf(file: string): Hex {
  return (JSON.parse(fs.readFileSync(path.join(artifacts, file), "utf8")) as { bytecode: Hex }).bytecode;
}

export const safeAbi = parseAbi([
  "function setup(address[] owners, uint256 threshold, address to, bytes data, address fallbackHandler, address paymentToken, uint256 payment, address paymentReceiver)",
  "function execTransaction(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, bytes signatures) payable returns (bool)",
  "function nonce() view returns (uint256)",
  "function getOwners() view returns (address[])",
  "function getThreshold() view returns (uint256)",
  "event ExecutionSuccess(bytes32 txHash, uint256 payment)",
]);

const factoryAbi = parseAbi([
  "function createProxyWithNonce(address singleton, bytes initializer, uint256 saltNonce) returns (address)",
  "event ProxyCreation(address indexed proxy, address singleton)",
]);

let saltNonce = 0n;

async function deploy(client: TestClient, bytecode: Hex): Promise<Address> {
  const hash = await client.deployContract({ abi: [], bytecode });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (!receipt.contractAddress) throw new Error("deployment failed");
  return receipt.contractAddress;
}

/** Deploys the Safe singleton and factory, then a Safe of `owners` needing `threshold` signatures; returns its address. */
export async function deploySafe(client: TestClient, owners: Address[], threshold: bigint): Promise<Address> {
  const singleton = await deploy(client, bytecodeOf("Safe.sol/Safe.json"));
  const factory = await deploy(client, bytecodeOf("proxies/SafeProxyFactory.sol/SafeProxyFactory.json"));
  const initializer = encodeFunctionData({
    abi: safeAbi,
    functionName: "setup",
    args: [owners, threshold, zeroAddress, "0x", zeroAddress, zeroAddress, 0n, zeroAddress],
  });
  const hash = await client.writeContract({
    address: factory,
    abi: factoryAbi,
    functionName: "createProxyWithNonce",
    args: [singleton, initializer, saltNonce++],
  });
  const receipt = await client.waitForTransactionReceipt({ hash });
  const [created] = parseEventLogs({ abi: factoryAbi, eventName: "ProxyCreation", logs: receipt.logs });
  if (!created) throw new Error("no ProxyCreation event");
  return created.args.proxy;
}

/** The EIP-712 `SafeTx` a Safe's owners sign (Safe 1.3+: the domain is the chain id and the Safe). */
const safeTxTypes = {
  SafeTx: [
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "data", type: "bytes" },
    { name: "operation", type: "uint8" },
    { name: "safeTxGas", type: "uint256" },
    { name: "baseGas", type: "uint256" },
    { name: "gasPrice", type: "uint256" },
    { name: "gasToken", type: "address" },
    { name: "refundReceiver", type: "address" },
    { name: "nonce", type: "uint256" },
  ],
} as const;

/**
 * Has `signers` (Safe owners) sign a call of the Safe as an EIP-712 `SafeTx` at the Safe's current nonce, and `sender`
 * submit it with `execTransaction`. Signatures are concatenated in ascending order of their signers, as the Safe
 * requires. A call the Safe makes that reverts makes `execTransaction` revert (GS013: no gas price, no safeTxGas).
 */
export async function execSafeTransaction(
  sender: TestClient,
  signers: TestClient[],
  safe: Address,
  call: { to: Address; data: Hex; value?: bigint },
): Promise<Hash> {
  const nonce = await sender.readContract({ address: safe, abi: safeAbi, functionName: "nonce" });
  const message = {
    to: call.to,
    value: call.value ?? 0n,
    data: call.data,
    operation: 0,
    safeTxGas: 0n,
    baseGas: 0n,
    gasPrice: 0n,
    gasToken: zeroAddress,
    refundReceiver: zeroAddress,
    nonce,
  };
  const domain = { chainId: await sender.getChainId(), verifyingContract: safe } as const;
  const ordered = [...signers].sort((a, b) => (BigInt(a.account.address) < BigInt(b.account.address) ? -1 : 1));
  const signatures = await Promise.all(
    ordered.map((signer) => signer.signTypedData({ domain, types: safeTxTypes, primaryType: "SafeTx", message })),
  );
  const hash = await sender.writeContract({
    address: safe,
    abi: safeAbi,
    functionName: "execTransaction",
    args: [
      message.to,
      message.value,
      message.data,
      message.operation,
      message.safeTxGas,
      message.baseGas,
      message.gasPrice,
      message.gasToken,
      message.refundReceiver,
      `0x${signatures.map((s) => s.slice(2)).join("")}`,
    ],
  });
  const receipt = await sender.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`execTransaction ${hash} reverted`);
  return hash;
}

/** The admin handover delay of safeProgram: one day, so a test sees the Safe wait for it. */
export const SAFE_PROGRAM_ADMIN_DELAY = 24n * 60n * 60n;

/**
 * A program deployed with every role on the deployer (the brand), as `punchcard deploy` makes one with no `roles` in
 * its config, a one-day admin delay, and a 2-of-3 Safe whose owners are the first three members.
 */
export async function safeProgram() {
  const actors = await viemActors();
  const config = testConfig(actors.treasury.account.address, actors.brand.account.address);
  config.roles = { adminDelaySeconds: Number(SAFE_PROGRAM_ADMIN_DELAY) };
  const { program } = await deployProgram(actors.brand, { config });
  const owners = actors.members.slice(0, 3);
  const safe = await deploySafe(
    actors.brand,
    owners.map((o) => o.account.address),
    2n,
  );
  return { ...actors, program, safe, owners };
}

/** safeProgram with its deployment record written to a fresh folder, as `punchcard deploy` writes one. */
export async function recordedSafeProgram() {
  const base = await safeProgram();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-safe-"));
  const recordPath = path.join(dir, "test.json");
  const record = recordFromProgram(base.program, {
    brand: "Test Coffee",
    network: "localhost",
    configHash: `0x${"00".repeat(32)}`,
    deployer: base.brand.account.address,
  });
  fs.writeFileSync(recordPath, JSON.stringify(record));
  return { ...base, recordPath };
}
