import type {
  Abi,
  Chain,
  Client,
  ContractFunctionArgs,
  ContractFunctionName,
  ReadContractParameters,
  ReadContractReturnType,
  Transport,
} from "viem";
import { readContract } from "viem/actions";
import { explainError } from "../errors.js";
import type { ErrorCatalog } from "../errors/catalog.js";

type Mutability = "pure" | "view";

/**
 * Reads a contract, as viem's `readContract` does, and turns what it throws into the SDK's error: a
 * decoded custom error becomes a `ContractRevertError` with its sentence, anything else a
 * `PunchcardError`. What `execute` is to writes, this is to the reads an action makes before it
 * writes (or instead); `errors` are the catalogs of the contract read (errors/catalog.ts).
 *
 * @example
 * const [fee, royalty] = await read(client, { address: program.market, abi: marketAbi, functionName: "quoteSwap", args }, [marketErrorCatalog]);
 */
export async function read<
  chain extends Chain | undefined,
  const abi extends Abi | readonly unknown[],
  functionName extends ContractFunctionName<abi, Mutability>,
  const args extends ContractFunctionArgs<abi, Mutability, functionName>,
>(
  client: Client<Transport, chain>,
  parameters: ReadContractParameters<abi, functionName, args>,
  errors: readonly ErrorCatalog[],
): Promise<ReadContractReturnType<abi, functionName, args>> {
  return withReadErrors(() => readContract(client, parameters), errors);
}

/**
 * Runs several reads that answer one question together (a few contract reads, a block), turning whatever
 * they throw into the SDK's error as {@link read} does. An SDK error thrown among them (an argument
 * refused on what was read) passes through unchanged.
 *
 * @example
 * const [tier, status] = await withReadErrors(
 *   () => Promise.all([readContract(client, tierOf), readContract(client, statusOf)]),
 *   [rewardsErrorCatalog],
 * );
 */
export async function withReadErrors<T>(reads: () => Promise<T>, errors: readonly ErrorCatalog[]): Promise<T> {
  try {
    return await reads();
  } catch (error) {
    throw explainError(error, errors);
  }
}
