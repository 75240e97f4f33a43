import type { Address } from "viem";
import { signTypedData } from "viem/actions";
import type { Program, WriteClient } from "../program.js";
import { consentDomain } from "../types/consent.js";
import {
  FORGET_REQUEST_LIFETIME_SECONDS,
  forgetLinkTypes,
  type ForgetLinkMessage,
  type SignedForgetRequest,
} from "../types/forgetLink.js";
import { expiryIn } from "../utils/expiryIn.js";

export interface SignForgetRequestParameters {
  program: Program;
  /** The wallet whose record the brand erases: default the signer's own; a contract wallet's address when its owner signs for it (ERC-1271). */
  wallet?: Address;
  /** Unix seconds; default 15 minutes after the chain's latest block. The server refuses more than a day ahead. */
  deadline?: bigint;
}

export type SignForgetRequestReturnType = SignedForgetRequest;

/**
 * The member signs "forget me" for the brand's server (`POST /links/forget`, the typed client's `forgetLink`): the
 * brand erases its record tying the wallet to the customer (customer id, wallet, salt), and unlinks the wallet
 * on-chain if it still is. Costs nothing: it is a signature, not a transaction.
 *
 * @example
 * const request = await signForgetRequest(member, { program });
 * const answer = await server.forgetLink(request);
 * console.log(answer.message);
 */
export async function signForgetRequest(
  client: WriteClient,
  { program, wallet, deadline }: SignForgetRequestParameters,
): Promise<SignForgetRequestReturnType> {
  const message: ForgetLinkMessage = {
    wallet: wallet ?? client.account.address,
    deadline: deadline ?? (await expiryIn(client, FORGET_REQUEST_LIFETIME_SECONDS)),
  };
  const signature = await signTypedData(client, {
    account: client.account,
    domain: consentDomain(program),
    types: forgetLinkTypes,
    primaryType: "ForgetLink",
    message,
  });
  return { message, signature, chainId: program.chainId };
}
