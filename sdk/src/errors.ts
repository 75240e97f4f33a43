import { BaseError, ContractFunctionRevertedError, decodeErrorResult, type Abi, type Hex } from "viem";
import { consentRegistryAbi, marketAbi, partnerExchangeAbi, pointsAbi, rewardsAbi, stampsAbi } from "./generated/abis.js";
import { sentenceOf } from "./errors/sentences.js";

// The sentence of each contract error lives beside its contract's others, one file per contract under errors/.
export { hasExplanation } from "./errors/sentences.js";
export type { ProgramErrorName } from "./errors/types.js";

/** Every custom error of the program's contracts: a revert bubbling up from another contract of the
 * program (Points refusing a Market payment) is decoded too, not only the called contract's own. */
const programErrors: Abi = [
  ...stampsAbi,
  ...pointsAbi,
  ...marketAbi,
  ...consentRegistryAbi,
  ...rewardsAbi,
  ...partnerExchangeAbi,
].filter((item) => item.type === "error");

function decodeProgramError(raw: Hex | undefined): { errorName: string; args: readonly unknown[] } | undefined {
  if (!raw || raw === "0x") return undefined;
  try {
    const decoded = decodeErrorResult({ abi: programErrors, data: raw });
    return { errorName: decoded.errorName, args: decoded.args ?? [] };
  } catch {
    return undefined;
  }
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

  constructor(errorName: string, args: readonly unknown[], cause?: unknown) {
    const explain = sentenceOf(errorName);
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
  if (error instanceof PunchcardError) return error;
  if (error instanceof BaseError) {
    const revert = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (revert instanceof ContractFunctionRevertedError) {
      const decoded = revert.data?.errorName
        ? { errorName: revert.data.errorName, args: revert.data.args ?? [] }
        : decodeProgramError(revert.raw);
      if (decoded) return new ContractRevertError(decoded.errorName, decoded.args, error);
    }
    if (/out of gas/i.test(error.details ?? "")) {
      return new PunchcardError("The transaction ran out of gas.", {
        details: error.details,
        hint: "It needs more gas than a transaction may use: split a batch into smaller ones.",
        cause: error,
      });
    }
    return new PunchcardError(error.shortMessage, { details: error.details, cause: error });
  }
  return new PunchcardError(error instanceof Error ? error.message : String(error), { cause: error });
}
