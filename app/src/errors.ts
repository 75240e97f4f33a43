import { causesOf, ProgramServerError, PunchcardError } from "@punchcard/sdk";
import i18next from "i18next";
import { loadFailureWords, refusalWords, revertWords } from "./failures/failureWords.js";
import { activeLanguage, LANGUAGES, say, type Language } from "./i18n/i18n.js";
import { BundlerUnreachableError, PasskeyActionUnavailableError, UserOperationRevertedError } from "./passkey/userOpErrors.js";
import { ServerUnreachableError } from "./serverUnreachable.js";

// The failures' words come with the first page that can fail (this module), not with the frame, and again in each
// language the member switches to (i18next tells its change, its first start included).
void loadFailureWords(activeLanguage());
i18next.on("languageChanged", (language: string) => {
  if (language in LANGUAGES) void loadFailureWords(language as Language);
});

const isFields = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

/**
 * The name of the contract error a failure carries, already decoded: by the SDK's actions (ContractRevertError's
 * `errorName`) or by viem for a call made with an ABI (`data.errorName`). The wallet keeps no ABI of its own to
 * decode raw revert data with: its sentences are keyed by name, so it does not load every contract's errors.
 */
function revertNameOf(error: unknown): string | undefined {
  for (const link of causesOf(error)) {
    if (typeof link.errorName === "string") return link.errorName;
    if (isFields(link.data) && typeof link.data.errorName === "string") return link.data.errorName;
  }
  return undefined;
}

/** Every message of the failure and its causes, for the patterns below. */
function textOf(error: unknown): string {
  return causesOf(error)
    .flatMap((link) => [link.shortMessage, link.details, link.message])
    .filter((part): part is string => typeof part === "string")
    .join(" ");
}

/** A library's name and version ("Version: viem@2.x", "@wagmi/core@3.x") mean nothing to a member. */
const plain = (sentence: string) => sentence.replace(/\s*Version: \S+/g, "").trim();

/**
 * One sentence for a failure, as a member reads it, in the active language: a contract's refusal or the program
 * server's, by its error name or code (failures/, in each language); a wallet's refusal, an unreachable chain, server
 * or bundler, a wallet that is not connected or holds too little coin. Only an error the failures' words do not hold
 * (one no member action meets) falls back to the SDK's sentence, in English; never a library's name or a raw revert.
 */
export function errorSentence(error: unknown): string {
  const language = activeLanguage();
  if (error instanceof ServerUnreachableError) return say("errors.serverUnreachable", { url: error.url });
  if (error instanceof ProgramServerError) {
    // The server's simulation met a contract's error it named: the member reads that error's sentence, as they would
    // had they sent the action themselves; an error the wallet has no words for keeps the refusal's.
    const named = error.code === "would_revert" && error.revert ? revertWords(language, error.revert.errorName) : undefined;
    if (named) return named;
    return say("errors.serverRefused", { reason: refusalWords(language, error.code) ?? error.shortMessage });
  }
  // A passkey member's UserOp: the bundler was not there (nothing sent), or the EntryPoint undid the whole batch.
  if (error instanceof BundlerUnreachableError) return say("errors.bundlerUnreachable");
  if (error instanceof UserOperationRevertedError) return say("errors.operationReverted");
  if (error instanceof PasskeyActionUnavailableError) return say("errors.notFromCard");
  const revert = revertNameOf(error);
  if (revert !== undefined) {
    const sentence = revertWords(language, revert);
    if (sentence !== undefined) return sentence;
  }
  const text = textOf(error);
  if (/user rejected|user denied|rejected the request/i.test(text)) return say("errors.rejected");
  if (/HTTP request failed|fetch failed|Failed to fetch|ECONNREFUSED|NetworkError|could not be reached/i.test(text)) {
    return say("errors.chainUnreachable");
  }
  if (/Provider not found|Connector not (found|connected)|ConnectorNotConnected|not connected/i.test(text)) {
    return say("errors.notConnected");
  }
  if (/insufficient funds|Missing or invalid parameters/i.test(text)) return say("errors.noCoin");
  if (error instanceof PunchcardError) {
    return error.hint ? `${plain(error.shortMessage)} ${plain(error.hint)}` : plain(error.shortMessage);
  }
  // A revert the wallet cannot name (raw data, or a name the SDK did not explain): said plainly, no hex.
  if (revert !== undefined || /revert/i.test(text)) return say("plain.chainRefused");
  const first = causesOf(error)[0];
  const message =
    typeof first?.shortMessage === "string" ? first.shortMessage : error instanceof Error ? error.message : String(error);
  return plain(message);
}
