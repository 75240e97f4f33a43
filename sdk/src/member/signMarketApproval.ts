import { readContract, signTypedData } from "viem/actions";
import { stampsAbi } from "../generated/abis.js";
import type { Program, WriteClient } from "../program.js";
import { approvalForAllTypes, tokenDomain, type MarketApproval, type SignedIntent } from "../types/intents.js";
import { expiryIn } from "../utils/expiryIn.js";

export interface SignMarketApprovalParameters {
  program: Program;
  /** Approve (default) or take the approval back. */
  approved?: boolean;
  /** Unix seconds after which the relayer can no longer submit it (default: 7 days from now). */
  deadline?: bigint;
}

export type SignMarketApprovalReturnType = SignedIntent<MarketApproval>;

/**
 * Signs the Market's approval for all the member's stamps, for the brand's relayer to submit
 * ({@link relayMarketApproval}): the gasless form of {@link approveMarket}, so a member's first trade needs no
 * approval transaction. The signature carries the member's Stamps nonce, the deadline and the chain (EIP-712 domain
 * read from Stamps), so it is used once, here, and nowhere else.
 *
 * @example
 * const approval = await signMarketApproval(ada, { program });
 * await relayMarketApproval(relayer, { program, approval });
 */
export async function signMarketApproval(
  client: WriteClient,
  { program, approved = true, deadline }: SignMarketApprovalParameters,
): Promise<SignMarketApprovalReturnType> {
  deadline ??= await expiryIn(client);
  const owner = client.account.address;
  const nonce = await readContract(client, { address: program.stamps, abi: stampsAbi, functionName: "nonces", args: [owner] });
  const message: MarketApproval = { owner, operator: program.market, approved, nonce, deadline };
  const signature = await signTypedData(client, {
    account: client.account,
    domain: await tokenDomain(client, program.stamps),
    types: approvalForAllTypes,
    primaryType: "ApprovalForAll",
    message,
  });
  return { message, signature };
}
