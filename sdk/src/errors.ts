import { decodeErrorResult, isHex, type Hex } from "viem";
import { reachedCatalogs, type ErrorCatalog, type Explain } from "./errors/catalog.js";
import { programErrorCatalogs } from "./errors/sentences.js";
import { sharedErrorCatalog } from "./errors/shared.js";

// The sentence of each contract error lives beside its contract's others, one file per contract under errors/.
export { hasExplanation } from "./errors/sentences.js";
export type { ProgramErrorName } from "./errors/types.js";

function decodeProgramError(raw: Hex | undefined, catalogs: readonly ErrorCatalog[]): Revert | undefined {
  if (!raw || raw === "0x") return undefined;
  try {
    // The errors of the called contract and of those it calls (generated/errorAbi.ts): a revert bubbling up from another
    // contract of the program (Points refusing a Market payment) is decoded too, not only the called contract's own.
    const decoded = decodeErrorResult({ abi: catalogs.flatMap((catalog) => catalog.abi), data: raw });
    return { errorName: decoded.errorName, args: decoded.args ?? [] };
  } catch {
    return undefined;
  }
}

type Revert = { errorName: string; args: readonly unknown[] };
type Fields = Record<string, unknown>;
const isFields = (value: unknown): value is Fields => typeof value === "object" && value !== null;

/**
 * The error and each of its causes, outermost first (at most 32, a cycle walked once). Walked by shape (`cause`),
 * never by class: the error may come from another build of viem than the SDK's (CommonJS and ES module builds, two
 * installed copies), whose classes `instanceof` does not recognise. Browser-safe: the wallet reads its failures
 * with it too.
 *
 * @example
 * const rejected = causesOf(error).some((link) => link.name === "UserRejectedRequestError");
 */
export function causesOf(error: unknown): Record<string, unknown>[] {
  const chain: Fields[] = [];
  for (let link = error; isFields(link) && !chain.includes(link) && chain.length < 32; link = link.cause) chain.push(link);
  return chain;
}

/**
 * The custom error a revert carries, wherever in the chain it sits and whatever shape it has there: viem's decoded
 * `data: { errorName, args }` (ContractFunctionRevertedError), its `raw` revert data, or a JSON-RPC error's `data`
 * (`"0x..."` from most nodes, `{ message, data: "0x..." }` from a Hardhat node), decoded with the program's ABIs.
 * A call made without an ABI (a raw `call`, `estimateGas`, `sendTransaction`) is decoded too.
 */
function revertOf(error: unknown, catalogs: readonly ErrorCatalog[]): Revert | undefined {
  for (const link of causesOf(error)) {
    const { data, raw } = link;
    if (isFields(data) && typeof data.errorName === "string") {
      return { errorName: data.errorName, args: Array.isArray(data.args) ? data.args : [] };
    }
    for (const candidate of [raw, data, isFields(data) ? data.data : undefined]) {
      const decoded = typeof candidate === "string" && isHex(candidate) ? decodeProgramError(candidate, catalogs) : undefined;
      if (decoded) return decoded;
    }
  }
  return undefined;
}

/**
 * Base of every error the SDK throws: a short message a person can act on, optional details
 * (the underlying cause) and a hint saying what to do.
 *
 * @example
 * try {
 *   await mintStamp(client, { program, to, seriesId: 1n });
 * } catch (error) {
 *   if (error instanceof PunchcardError) console.error(error.shortMessage, error.hint);
 * }
 */
export class PunchcardError extends Error {
  override name = "PunchcardError";
  readonly shortMessage: string;
  readonly details: string | undefined;
  readonly hint: string | undefined;

  constructor(shortMessage: string, options: { details?: string; hint?: string; cause?: unknown } = {}) {
    const lines = [shortMessage];
    if (options.hint) lines.push(`Hint: ${options.hint}`);
    if (options.details) lines.push(`Details: ${options.details}`);
    super(lines.join("\n"), options.cause === undefined ? undefined : { cause: options.cause });
    this.shortMessage = shortMessage;
    this.details = options.details;
    this.hint = options.hint;
  }
}

/**
 * An argument was rejected before any transaction was sent; nothing changed on-chain.
 *
 * @example
 * // InvalidArgumentError: rewards[0].amount must be at least 1 (got 0).
 * await rewardPoints(client, { program, reason: "welcome", rewards: [{ member, amount: 0n }] });
 */
export class InvalidArgumentError extends PunchcardError {
  override name = "InvalidArgumentError";
  /** Name of the offending argument, e.g. `amount` or `members[3]`. */
  readonly argument: string;

  constructor(argument: string, problem: string, hint?: string) {
    super(`${argument} ${problem}`, hint === undefined ? {} : { hint });
    this.argument = argument;
  }
}

/**
 * A contract refused the call with one of its custom errors, decoded: `errorName` is the Solidity
 * error (e.g. `PointsReceiptAlreadyCredited`) and `args` its arguments.
 *
 * @example
 * try {
 *   await creditPurchase(client, { program, member, amount: 500n, receiptId });
 * } catch (error) {
 *   if (error instanceof ContractRevertError && error.errorName === "PointsReceiptAlreadyCredited") {
 *     // the receipt was credited before: nothing to do
 *   }
 * }
 */
export class ContractRevertError extends PunchcardError {
  override name = "ContractRevertError";
  readonly errorName: string;
  readonly args: readonly unknown[];

  /** `explain` gives the sentence (the error's in its contract's catalog); without it the sentence only names the error. */
  constructor(errorName: string, args: readonly unknown[], cause?: unknown, explain?: Explain) {
    const sentence = explain ? explain(args) : `The contract refused the call with ${errorName}.`;
    super(sentence, {
      details: `${errorName}(${args.map(String).join(", ")})`,
      ...(explain ? {} : { hint: "See the contract's interface for what this error means." }),
      ...(cause === undefined ? {} : { cause }),
    });
    this.errorName = errorName;
    this.args = args;
  }
}

/**
 * Turns whatever a viem call threw into the SDK's error: a decoded custom error becomes a
 * {@link ContractRevertError}; SDK errors pass through; anything else is wrapped with its message.
 *
 * @example
 * try { await walletClient.writeContract(request); } catch (e) { throw toPunchcardError(e); }
 */
export function toPunchcardError(error: unknown): PunchcardError {
  return explainError(error, programErrorCatalogs);
}

/**
 * {@link toPunchcardError} with the catalogs of the contracts a call reached (errors/catalog.ts): what the SDK's
 * actions use, so that a page carries the sentences of the contracts it calls and no others.
 *
 * @example
 * try { await writeContract(client, request); } catch (e) { throw explainError(e, [marketErrorCatalog]); }
 */
export function explainError(error: unknown, catalogs: readonly ErrorCatalog[]): PunchcardError {
  if (error instanceof PunchcardError) return error;
  const reached = reachedCatalogs([...catalogs, sharedErrorCatalog]);
  const decoded = revertOf(error, reached);
  if (decoded) {
    const explain = reached.find((catalog) => Object.hasOwn(catalog.sentences, decoded.errorName))?.sentences[decoded.errorName];
    return new ContractRevertError(decoded.errorName, decoded.args, error, explain);
  }
  // A viem error of any build: its short message and details, read by shape.
  if (isFields(error) && typeof error.shortMessage === "string") {
    const details = typeof error.details === "string" ? error.details : undefined;
    if (/out of gas/i.test(details ?? "")) {
      return new PunchcardError("The transaction ran out of gas.", {
        details,
        hint: "It needs more gas than a transaction may use: split a batch into smaller ones.",
        cause: error,
      });
    }
    return new PunchcardError(error.shortMessage, { ...(details === undefined ? {} : { details }), cause: error });
  }
  return new PunchcardError(error instanceof Error ? error.message : String(error), { cause: error });
}
