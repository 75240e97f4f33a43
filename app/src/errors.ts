import { ProgramServerError, PunchcardError, toPunchcardError } from "@punchcard/sdk";
import { say } from "./i18n/i18n.js";
import { BundlerUnreachableError, PasskeyActionUnavailableError, UserOperationRevertedError } from "./passkey/userOpErrors.js";
import { ServerUnreachableError } from "./serverUnreachable.js";

/**
 * One sentence for a failure, as a member reads it, in the active language: a plain one for a wallet's refusal, an
 * unreachable chain or server, a wallet that is not connected or holds too little coin; else the SDK's sentence for a
 * revert or a bad argument (in English: the SDK's sentences are not in the catalogs), never a library's name.
 */
export function errorSentence(error: unknown): string {
  // The program server's own words: it refused (with the SDK's sentence for what would revert) or was not there.
  if (error instanceof ServerUnreachableError) return say("errors.serverUnreachable", { url: error.url });
  if (error instanceof ProgramServerError) return say("errors.serverRefused", { reason: error.shortMessage });
  // A passkey member's UserOp: the bundler was not there (nothing sent), or the EntryPoint undid the whole batch.
  if (error instanceof BundlerUnreachableError) return say("errors.bundlerUnreachable");
  if (error instanceof UserOperationRevertedError) return say("errors.operationReverted");
  if (error instanceof PasskeyActionUnavailableError) return say("errors.notFromCard");
  const e = error instanceof PunchcardError ? error : toPunchcardError(error);
  const text = `${e.shortMessage} ${e.details ?? ""} ${String((error as { message?: unknown })?.message ?? "")}`;
  if (/user rejected|user denied|rejected the request/i.test(text)) return say("errors.rejected");
  if (/HTTP request failed|fetch failed|Failed to fetch|ECONNREFUSED|NetworkError|could not be reached/i.test(text)) {
    return say("errors.chainUnreachable");
  }
  if (/Provider not found|Connector not (found|connected)|ConnectorNotConnected|not connected/i.test(text)) {
    return say("errors.notConnected");
  }
  if (/insufficient funds|Missing or invalid parameters/i.test(text)) return say("errors.noCoin");
  // A library's name and version ("Version: viem@2.x", "@wagmi/core@3.x") mean nothing to a member.
  const plain = (sentence: string) => sentence.replace(/\s*Version: \S+/g, "").trim();
  return e.hint ? `${plain(e.shortMessage)} ${plain(e.hint)}` : plain(e.shortMessage);
}
