import {
  prepareSponsoredUserOperation,
  type ExecuteResult,
  type MemberAccountCall,
  type ProgramServerClient,
  type ToMemberAccountReturnType,
} from "@punchcard/sdk";
import { http, HttpRequestError, type PublicClient } from "viem";
import { createBundlerClient, entryPoint08Address, formatUserOperationRequest } from "viem/account-abstraction";
import { BundlerUnreachableError, UserOperationRevertedError } from "./userOpErrors.js";

/**
 * A passkey member's way to act: their account signs a UserOp, the program server sponsors it (its policy decides:
 * budgets, membership, a simulation), and the bundler at `bundlerUrl` puts it on chain. The member holds no coin
 * and sends no transaction.
 */
export interface PasskeySender {
  account: ToMemberAccountReturnType;
  bundlerUrl: string;
  server: ProgramServerClient;
}

/** How often the wallet asks the bundler for the UserOp's receipt (the local chain mines in a fraction of a second). */
const RECEIPT_POLLING_MS = 250;

/**
 * Runs `calls` from the member's account in one UserOp, all or none: prepared and sponsored by the program server
 * (a refusal is thrown as the server's ProgramServerError, with its reason, before anything is signed), signed by
 * the passkey, sent to the bundler, and answered with the mined transaction once the EntryPoint ran it.
 */
export async function sendUserOperation(
  client: PublicClient,
  { account, bundlerUrl, server }: PasskeySender,
  calls: readonly MemberAccountCall[],
): Promise<ExecuteResult> {
  const userOperation = await prepareSponsoredUserOperation(client, {
    account,
    calls,
    sponsor: (unsponsored) => server.sponsorUserOperation(unsponsored),
  });
  const bundler = createBundlerClient({ client, transport: http(bundlerUrl, { retryCount: 0 }) });
  let hash: `0x${string}`;
  try {
    hash = await bundler.request({
      method: "eth_sendUserOperation",
      params: [formatUserOperationRequest(userOperation), entryPoint08Address],
    });
  } catch (error) {
    if (error instanceof HttpRequestError && error.status === undefined) throw new BundlerUnreachableError(bundlerUrl, error);
    throw error;
  }
  const { success, receipt } = await bundler.waitForUserOperationReceipt({ hash, pollingInterval: RECEIPT_POLLING_MS });
  if (!success) throw new UserOperationRevertedError(hash);
  return { hash: receipt.transactionHash, receipt };
}
