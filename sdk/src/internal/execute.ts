import type {
  Abi,
  Address,
  ContractFunctionArgs,
  ContractFunctionName,
  Hash,
  SimulateContractParameters,
  TransactionReceipt,
} from "viem";
import { simulateContract, waitForTransactionReceipt, writeContract } from "viem/actions";
import { explainError, PunchcardError } from "../errors.js";
import type { ErrorCatalog } from "../errors/catalog.js";
import type { WriteClient } from "../program.js";

type Mutability = "nonpayable" | "payable";

/** What every write action returns: the transaction and its receipt. */
export interface ExecuteResult {
  hash: Hash;
  receipt: TransactionReceipt;
}

/**
 * Simulates a contract write (so a revert is decoded before anything is sent), sends it from the
 * client's account, and waits for it to be mined. Every SDK write action goes through here, naming the error catalog of
 * the contract it calls (errors/catalog.ts): a revert comes back as a `ContractRevertError` with its sentence.
 */
export async function execute<
  const abi extends Abi,
  functionName extends ContractFunctionName<abi, Mutability>,
  const args extends ContractFunctionArgs<abi, Mutability, functionName>,
>(
  client: WriteClient,
  parameters: { address: Address; abi: abi; functionName: functionName; args: args; value?: bigint },
  errors: readonly ErrorCatalog[],
): Promise<ExecuteResult> {
  try {
    const { request } = await simulateContract(client, {
      ...parameters,
      account: client.account,
      chain: client.chain,
    } as unknown as SimulateContractParameters<abi, functionName, args>);
    const hash = await writeContract(client, request as Parameters<typeof writeContract>[1]);
    const receipt = await waitForTransactionReceipt(client, { hash });
    if (receipt.status !== "success") {
      throw new PunchcardError(`Transaction ${hash} was mined but reverted.`, {
        hint: "Another transaction changed the state between simulation and inclusion; read it again and retry.",
      });
    }
    return { hash, receipt };
  } catch (error) {
    throw explainError(error, errors);
  }
}
