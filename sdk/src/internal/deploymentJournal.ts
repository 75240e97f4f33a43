import { keccak256, type Address, type Hash, type Hex, type TransactionReceipt } from "viem";
import {
  call,
  getBlock,
  getBlockNumber,
  getTransaction,
  getTransactionCount,
  getTransactionReceipt,
  prepareTransactionRequest,
  sendRawTransaction,
  sendTransaction,
  signTransaction,
  waitForTransactionReceipt,
} from "viem/actions";
import { PunchcardError, toPunchcardError } from "../errors.js";
import type { WriteClient } from "../program.js";
import { constructorArgumentsOf, stepData, type DeploymentStep } from "./deploymentSteps.js";

/** A step that landed: its transaction, block and gas, and for a contract its address and constructor arguments. */
export interface LandedStep {
  status: "done";
  hash: Hash;
  block: string;
  gasUsed: string;
  address?: Address;
  constructorArguments?: Hex;
}

/**
 * What a journal knows of one step. A local key signs first, so the hash (and the signed transaction) is recorded
 * BEFORE it is broadcast: a cut between send and record cannot happen. A node's unlocked account (development
 * chains) signs inside `eth_sendTransaction`, so its nonce and the block are recorded before the send, and a resume
 * finds the transaction by that nonce.
 */
export type StepRecord =
  | LandedStep
  | { status: "sent"; hash: Hash; nonce: number; raw?: Hex }
  | { status: "sending"; nonce: number; block: string }
  | { status: "reverted"; hash: Hash };

/** Where a deployment writes each step as it is sent and as it lands, and reads them back when it resumes. */
export interface DeploymentJournal {
  get(id: string): StepRecord | undefined;
  set(id: string, record: StepRecord): void | Promise<void>;
}

/** A journal in memory: a deployment without a progress file. */
export function memoryJournal(): DeploymentJournal {
  const records = new Map<string, StepRecord>();
  return { get: (id) => records.get(id), set: (id, record) => void records.set(id, record) };
}

interface RunOptions {
  journal: DeploymentJournal;
  confirmations: number;
}

/**
 * Runs one step exactly once across cuts: a landed step is skipped; a step sent before a cut is looked up by its
 * hash (or its nonce) and waited for; a signed transaction that never reached the chain is broadcast again with its
 * own nonce, so at most one copy can land. Only a step whose transaction is certainly not on the chain is sent anew.
 */
export async function runStep(client: WriteClient, step: DeploymentStep, options: RunOptions): Promise<LandedStep> {
  const known = options.journal.get(step.id);
  if (known?.status === "done") return known;
  try {
    if (known?.status === "sent") {
      const outcome = await lookUp(client, known.hash);
      if (outcome === "pending" || outcome === "landed") return await land(client, step, known.hash, options);
      const used = await getTransactionCount(client, { address: client.account.address, blockTag: "pending" });
      if (used <= known.nonce && known.raw) {
        await sendRawTransaction(client, { serializedTransaction: known.raw });
        return await land(client, step, known.hash, options);
      }
      // Its nonce went to another transaction (it never landed), or nothing was broadcast: send it anew.
      return await send(client, step, options, used <= known.nonce ? known.nonce : undefined);
    }
    if (known?.status === "sending") {
      const used = await getTransactionCount(client, { address: client.account.address, blockTag: "pending" });
      if (used <= known.nonce) return await send(client, step, options, known.nonce);
      const hash = await findByNonce(client, known.nonce, BigInt(known.block));
      if (hash) return await land(client, step, hash, options);
      throw new PunchcardError(`Step "${step.id}" was sent before the cut, but its transaction cannot be found.`, {
        hint: `Look for the deployer's transaction with nonce ${known.nonce} in an explorer, or start over with --force.`,
      });
    }
    // Nothing known, or a transaction that reverted (and changed nothing): send it.
    return await send(client, step, options);
  } catch (error) {
    throw toPunchcardError(error);
  }
}

async function lookUp(client: WriteClient, hash: Hash): Promise<"landed" | "pending" | "unknown"> {
  const receipt = await getTransactionReceipt(client, { hash }).catch(() => undefined);
  if (receipt) return "landed";
  const transaction = await getTransaction(client, { hash }).catch(() => undefined);
  return transaction ? "pending" : "unknown";
}

/** The deployer's transaction with `nonce`, mined at or after `fromBlock` (a development chain: a few blocks). */
async function findByNonce(client: WriteClient, nonce: number, fromBlock: bigint): Promise<Hash | undefined> {
  const latest = await getBlockNumber(client, { cacheTime: 0 });
  const from = client.account.address.toLowerCase();
  for (let number = fromBlock; number <= latest; number++) {
    const block = await getBlock(client, { blockNumber: number, includeTransactions: true });
    const found = block.transactions.find((tx) => tx.from.toLowerCase() === from && tx.nonce === nonce);
    if (found) return found.hash;
  }
  return undefined;
}

async function send(client: WriteClient, step: DeploymentStep, options: RunOptions, nonce?: number): Promise<LandedStep> {
  const { account, chain } = client;
  const data = stepData(step);
  const to = step.kind === "call" ? step.address : undefined;
  // A call is simulated first, so a revert is decoded (a program error with its sentence) before anything is sent.
  if (step.kind === "call") await call(client, { account, to, data });
  const request = await prepareTransactionRequest(client, {
    account,
    chain,
    to,
    data,
    ...(nonce === undefined ? {} : { nonce }),
  });
  let hash: Hash;
  if (account.type === "local") {
    const raw = await signTransaction(client, { ...request, account, chain } as Parameters<typeof signTransaction>[1]);
    hash = keccak256(raw);
    await options.journal.set(step.id, { status: "sent", hash, nonce: request.nonce, raw });
    await sendRawTransaction(client, { serializedTransaction: raw });
  } else {
    const block = await getBlockNumber(client, { cacheTime: 0 });
    await options.journal.set(step.id, { status: "sending", nonce: request.nonce, block: block.toString() });
    hash = await sendTransaction(client, { ...request, account, chain } as Parameters<typeof sendTransaction>[1]);
    await options.journal.set(step.id, { status: "sent", hash, nonce: request.nonce });
  }
  return land(client, step, hash, options);
}

async function land(client: WriteClient, step: DeploymentStep, hash: Hash, options: RunOptions): Promise<LandedStep> {
  const receipt: TransactionReceipt = await waitForTransactionReceipt(client, { hash, confirmations: options.confirmations });
  if (receipt.status !== "success") {
    // A reverted transaction changed nothing: forgetting it lets a resume send the step anew.
    await options.journal.set(step.id, { status: "reverted", hash });
    throw new PunchcardError(`Step "${step.id}" reverted in transaction ${hash}.`, {
      hint: "Read the program's state, fix the cause, and continue with --resume.",
    });
  }
  if (step.kind === "deploy" && !receipt.contractAddress) {
    throw new PunchcardError(`Deploying ${step.contract} in transaction ${hash} created no contract.`);
  }
  const landed: LandedStep = {
    status: "done",
    hash,
    block: receipt.blockNumber.toString(),
    gasUsed: receipt.gasUsed.toString(),
    ...(step.kind === "deploy"
      ? { address: receipt.contractAddress as Address, constructorArguments: constructorArgumentsOf(step) }
      : {}),
  };
  await options.journal.set(step.id, landed);
  return landed;
}
