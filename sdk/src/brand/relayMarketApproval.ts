import { stampsErrorCatalog } from "../errors/stamps.js";
import { stampsAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import type { Program, WriteClient } from "../program.js";
import type { MarketApproval, SignedIntent } from "../types/intents.js";

export interface RelayMarketApprovalParameters {
  program: Program;
  /** The member's signed approval ({@link signMarketApproval}). */
  approval: SignedIntent<MarketApproval>;
}

export type RelayMarketApprovalReturnType = ExecuteResult;

/**
 * Submits a member's signed Market approval from the brand's relayer account, which pays the gas. Simulated first:
 * an expired, replayed or forged approval comes back as a `ContractRevertError` with a sentence, and nothing is sent.
 *
 * @example
 * await relayMarketApproval(relayer, { program, approval: await signMarketApproval(ada, { program }) });
 */
export async function relayMarketApproval(
  client: WriteClient,
  { program, approval }: RelayMarketApprovalParameters,
): Promise<RelayMarketApprovalReturnType> {
  const { owner, operator, approved, deadline } = approval.message;
  return execute(
    client,
    {
      address: program.stamps,
      abi: stampsAbi,
      functionName: "setApprovalForAllBySig",
      args: [owner, operator, approved, deadline, approval.signature],
    },
    [stampsErrorCatalog],
  );
}
