import { marketErrorCatalog } from "../errors/market.js";
import { marketAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import type { SignCancelReturnType } from "../member/signCancel.js";
import type { SignCancelAllReturnType } from "../member/signCancelAll.js";
import type { Program, WriteClient } from "../program.js";

export interface RelayCancelParameters {
  program: Program;
  /** A member's signed cancellation of one order ({@link signCancel}) or of all of them ({@link signCancelAll}). */
  cancellation: SignCancelReturnType | SignCancelAllReturnType;
}

export type RelayCancelReturnType = ExecuteResult;

/**
 * Submits a member's signed cancellation from the brand's relayer account: one order (it becomes `Cancelled`) or
 * all of them (the member's Market nonce goes up). Simulated first: an expired, replayed or forged cancellation
 * comes back as a `ContractRevertError` with a sentence, and nothing is sent.
 *
 * @example
 * await relayCancel(relayer, { program, cancellation: await signCancelAll(ada, { program }) });
 */
export async function relayCancel(
  client: WriteClient,
  { program, cancellation }: RelayCancelParameters,
): Promise<RelayCancelReturnType> {
  const market = { address: program.market, abi: marketAbi } as const;
  const { signature } = cancellation;
  if (!("order" in cancellation)) {
    const { signer, deadline } = cancellation.message;
    return execute(client, { ...market, functionName: "incrementNonceBySig", args: [signer, deadline, signature] }, [
      marketErrorCatalog,
    ]);
  }
  const { deadline } = cancellation.message;
  const target = cancellation.order;
  switch (target.kind) {
    case "listing":
      return execute(client, { ...market, functionName: "cancelListingBySig", args: [target.order, deadline, signature] }, [
        marketErrorCatalog,
      ]);
    case "offer":
      return execute(client, { ...market, functionName: "cancelOfferBySig", args: [target.order, deadline, signature] }, [
        marketErrorCatalog,
      ]);
    case "swap":
      return execute(client, { ...market, functionName: "cancelSwapBySig", args: [target.order, deadline, signature] }, [
        marketErrorCatalog,
      ]);
  }
}
