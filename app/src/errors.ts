import { ProgramServerError, PunchcardError, toPunchcardError } from "@punchcard/sdk";
import { ServerUnreachableError } from "./serverUnreachable.js";

/**
 * One sentence for a failure, as a member reads it: the SDK's sentence for a revert or a bad argument, a
 * plain one for a wallet's refusal or an unreachable chain.
 */
export function errorSentence(error: unknown): string {
  // The program server's own words: it refused (with the SDK's sentence for what would revert) or was not there.
  if (error instanceof ServerUnreachableError) return error.shortMessage;
  if (error instanceof ProgramServerError) return `The program server refused: ${error.shortMessage}`;
  const e = error instanceof PunchcardError ? error : toPunchcardError(error);
  const text = `${e.shortMessage} ${e.details ?? ""} ${String((error as { message?: unknown })?.message ?? "")}`;
  if (/user rejected|user denied|rejected the request/i.test(text)) {
    return "You rejected the request in your wallet: nothing was sent and nothing changed.";
  }
  if (/HTTP request failed|fetch failed|Failed to fetch|ECONNREFUSED|NetworkError|could not be reached/i.test(text)) {
    return "The chain could not be reached: check your connection or the node, then try again. Nothing changed.";
  }
  if (/Provider not found|Connector not (found|connected)|ConnectorNotConnected|not connected/i.test(text)) {
    return "Your wallet is not connected: connect it again, then try again. Nothing changed.";
  }
  if (/insufficient funds|Missing or invalid parameters/i.test(text)) {
    return "Your wallet holds too little coin to pay this transaction's fee. Nothing changed.";
  }
  // A library's name and version ("Version: viem@2.x", "@wagmi/core@3.x") mean nothing to a member.
  const plain = (sentence: string) => sentence.replace(/\s*Version: \S+/g, "").trim();
  return e.hint ? `${plain(e.shortMessage)} ${plain(e.hint)}` : plain(e.shortMessage);
}
