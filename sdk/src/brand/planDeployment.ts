import type { Address } from "viem";
import { estimateGas, getBalance, getChainId, getGasPrice, getTransactionCount } from "viem/actions";
import type { ProgramConfigInput } from "../config/programConfig.js";
import { PunchcardError, toPunchcardError } from "../errors.js";
import type { WriteClient } from "../program.js";
import { deployProgram } from "./deployProgram.js";
import { stepData, type ProgramContractName } from "../internal/deploymentSteps.js";

/** The contracts whose constructors call no other program contract, so the target chain can estimate them. */
const NEEDS_NONE: ReadonlySet<ProgramContractName> = new Set(["Stamps", "ConsentRegistry"]);

export interface PlanDeploymentParameters {
  /** The program config (validated here). */
  config: ProgramConfigInput;
  /**
   * A scratch chain where the same account can send, with the same nonce (Hardhat's in-process chain with the account
   * impersonated, or a fork): a configuration call needs the contracts to exist, so the whole deployment is rehearsed
   * there to measure each call. Nothing is sent to `client`'s chain; throw the scratch chain away afterwards.
   */
  rehearsal: WriteClient;
  /** A gas price (wei) to price the plan at besides the chain's current one, e.g. a busy day's. */
  gasPrice?: bigint;
}

/** One transaction of the plan and the gas it will use. */
export interface PlannedStep {
  id: string;
  kind: "deploy" | "call";
  contract: ProgramContractName;
  /** For a call, the function; for a deployment, "constructor". */
  functionName: string;
  gas: bigint;
  /**
   * How the gas was found: estimated by the target chain (a contract that needs no other) or measured in the
   * rehearsal (exact: the same calldata from the same account and nonce).
   */
  gasFrom: "chain" | "rehearsal";
}

export interface PlanDeploymentReturnType {
  chainId: number;
  deployer: Address;
  /** The deployer's balance now. */
  balance: bigint;
  steps: PlannedStep[];
  totalGas: bigint;
  /** The chain's gas price now (eth_gasPrice) and the plan's cost at it. */
  currentGasPrice: bigint;
  currentCost: bigint;
  /** The plan's cost at the given `gasPrice`, when one was given. */
  givenGasPrice?: bigint;
  givenCost?: bigint;
}

/**
 * Every transaction of a program's deployment with its gas, and the total cost at the chain's current gas price (and
 * at a given one), without sending anything to the chain. Every step is measured by rehearsing the deployment on a
 * scratch chain from the same account and nonce, so every address and every byte of calldata is the one the real
 * deployment sends; the contracts that need no other (Stamps, the consent registry) are also estimated by the chain
 * itself (`eth_estimateGas` from the deployer), and their estimate is the plan's. The gas is exact on chains whose gas schedule is Ethereum's (an OP-stack chain's L1 data fee is not in it).
 *
 * @example
 * const plan = await planDeployment(brand, { config, rehearsal, gasPrice: parseGwei("5") });
 * console.log(plan.totalGas, formatEther(plan.currentCost));
 */
export async function planDeployment(
  client: WriteClient,
  { config, rehearsal, gasPrice }: PlanDeploymentParameters,
): Promise<PlanDeploymentReturnType> {
  const deployer = client.account.address;
  if (rehearsal.account.address.toLowerCase() !== deployer.toLowerCase()) {
    throw new PunchcardError("The rehearsal must send from the deployer's account, or its addresses differ.");
  }
  const [chainId, balance, currentGasPrice, nonce, rehearsalNonce] = await Promise.all([
    getChainId(client),
    getBalance(client, { address: deployer }),
    getGasPrice(client),
    getTransactionCount(client, { address: deployer, blockTag: "pending" }),
    getTransactionCount(rehearsal, { address: deployer, blockTag: "pending" }),
  ]);
  if (nonce !== rehearsalNonce) {
    throw new PunchcardError(
      `The rehearsal's nonce (${rehearsalNonce}) is not the deployer's (${nonce}): its addresses would differ.`,
    );
  }
  const { steps: rehearsed } = await deployProgram(rehearsal, { config });
  const steps: PlannedStep[] = [];
  for (const { step, landed } of rehearsed) {
    let gas = BigInt(landed.gasUsed);
    let gasFrom: PlannedStep["gasFrom"] = "rehearsal";
    // A contract that needs none deployed before it (Stamps, the consent registry) is estimated by the chain itself,
    // a check that the rehearsal's gas schedule is the chain's; the others' constructors read contracts that do not
    // exist there yet, so their gas is the rehearsal's.
    if (step.kind === "deploy" && NEEDS_NONE.has(step.contract)) {
      try {
        gas = await estimateGas(client, { account: client.account, data: stepData(step) });
        gasFrom = "chain";
      } catch (error) {
        throw toPunchcardError(error);
      }
    }
    steps.push({
      id: step.id,
      kind: step.kind,
      contract: step.contract,
      functionName: step.kind === "deploy" ? "constructor" : step.functionName,
      gas,
      gasFrom,
    });
  }
  const totalGas = steps.reduce((sum, step) => sum + step.gas, 0n);
  return {
    chainId,
    deployer,
    balance,
    steps,
    totalGas,
    currentGasPrice,
    currentCost: totalGas * currentGasPrice,
    ...(gasPrice === undefined ? {} : { givenGasPrice: gasPrice, givenCost: totalGas * gasPrice }),
  };
}
