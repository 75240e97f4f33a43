import { createPublicClient, createWalletClient, defineChain, formatEther, formatGwei, toHex, type Address } from "viem";
import { getTransactionCount } from "viem/actions";
import { planDeployment, type PlanDeploymentReturnType } from "../brand/planDeployment.js";
import type { ProgramConfig } from "../config/programConfig.js";
import { PunchcardError } from "../errors.js";
import type { WriteClient } from "../program.js";

/** Chain ids of local development chains: no prompt, one confirmation. */
export const DEV_CHAIN_IDS: readonly number[] = [31337, 1337];

/**
 * Blocks to wait after each transaction, by chain id, when --confirmations is not given: enough that a reorg of the
 * chain's usual depth does not undo a step the progress file counts as landed. Unknown chains get 3.
 */
const CONFIRMATIONS: Record<number, number> = {
  1: 3, // Ethereum
  11155111: 2, // Sepolia
  137: 10, // Polygon PoS: reorgs of several blocks happen
  80002: 5, // Polygon Amoy
  8453: 3, // Base
  84532: 2, // Base Sepolia
  10: 3, // OP Mainnet
  11155420: 2, // OP Sepolia
  42161: 3, // Arbitrum One
};

/** The confirmations waited for on a chain when none are given. */
export function defaultConfirmations(chainId: number): number {
  return DEV_CHAIN_IDS.includes(chainId) ? 1 : (CONFIRMATIONS[chainId] ?? 3);
}

/**
 * Plans a deployment: contract creations estimated against the target chain, configuration calls measured by
 * rehearsing the deployment on Hardhat's in-process chain from the same address and nonce (impersonated), which is
 * then reverted to its snapshot: nothing is sent to the target.
 */
export async function planOnScratchChain(
  client: WriteClient,
  config: ProgramConfig,
  gasPrice: bigint | undefined,
): Promise<PlanDeploymentReturnType> {
  let transport;
  try {
    const { inProcessTransport } = await import("./inProcess.js");
    transport = inProcessTransport();
  } catch (error) {
    throw new PunchcardError("A plan rehearses the deployment on Hardhat's in-process chain, which is not available here.", {
      hint: "Run from a project with Hardhat installed (npm i -D hardhat, with a hardhat.config).",
      cause: error,
    });
  }
  const deployer = client.account.address;
  const scratch = createPublicClient({ transport });
  const rpc = (method: string, params: unknown[] = []) =>
    scratch.request({ method, params } as unknown as Parameters<typeof scratch.request>[0]);
  const snapshot = await rpc("evm_snapshot");
  try {
    await rpc("hardhat_impersonateAccount", [deployer]);
    await rpc("hardhat_setBalance", [deployer, toHex(10n ** 30n)]);
    const nonce = await getTransactionCount(client, { address: deployer, blockTag: "pending" });
    if ((await getTransactionCount(scratch, { address: deployer })) < nonce) {
      await rpc("hardhat_setNonce", [deployer, toHex(nonce)]);
    }
    const chain = defineChain({
      id: await scratch.getChainId(),
      name: "rehearsal",
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [] } },
    });
    const rehearsal = createWalletClient({ account: deployer as Address, chain, transport, pollingInterval: 10 });
    return await planDeployment(client, { config, rehearsal, ...(gasPrice === undefined ? {} : { gasPrice }) });
  } finally {
    await rpc("evm_revert", [snapshot]);
    await rpc("hardhat_stopImpersonatingAccount", [deployer]);
  }
}

/** The plan as lines a person reads: one per transaction, then the totals and the deployer's balance. */
export function describePlan(plan: PlanDeploymentReturnType, symbol: string): string[] {
  const cost = (wei: bigint) => `${formatEther(wei)} ${symbol}`;
  const lines = [`Plan: ${plan.steps.length} transactions from ${plan.deployer} on chain ${plan.chainId}`];
  plan.steps.forEach((step, i) => {
    const what = step.kind === "deploy" ? `deploy ${step.contract}` : `${step.contract}.${step.functionName}`;
    lines.push(`  ${String(i + 1).padStart(2)}. ${what.padEnd(34)} ${step.gas.toString().padStart(9)} gas`);
  });
  lines.push(`  total gas ${plan.totalGas}`);
  lines.push(`  cost at the current gas price (${formatGwei(plan.currentGasPrice)} gwei): ${cost(plan.currentCost)}`);
  if (plan.givenGasPrice !== undefined && plan.givenCost !== undefined) {
    lines.push(`  cost at --gas-price ${formatGwei(plan.givenGasPrice)} gwei: ${cost(plan.givenCost)}`);
  }
  lines.push(`  deployer balance: ${cost(plan.balance)}`);
  return lines;
}

/** What the deployer must hold for the plan: its cost at the higher of the current and the given gas price. */
export function neededFor(plan: PlanDeploymentReturnType): bigint {
  return plan.givenCost !== undefined && plan.givenCost > plan.currentCost ? plan.givenCost : plan.currentCost;
}
