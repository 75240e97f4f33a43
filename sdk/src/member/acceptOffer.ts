import { marketErrorCatalog } from "../errors/market.js";
import { marketAbi } from "../generated/abis.js";
import { execute } from "../internal/execute.js";
import { checkTradableStamp } from "../internal/stampChecks.js";
import type { Program, WriteClient } from "../program.js";
import { saleOf, type BuyStampReturnType } from "./buyStamp.js";
import type { Offer, Signed } from "../types/orders.js";

export interface AcceptOfferParameters {
  program: Program;
  offer: Signed<Offer>;
  /** The caller's stamp to sell: the offer's stamp, or any stamp of its series. */
  tokenId: bigint;
}

export type AcceptOfferReturnType = BuyStampReturnType;

/**
 * Accepts an offer: sells the caller's stamp to the offer's buyer, who pays in the offer's currency
 * (royalty to the brand, market fee, the rest to the caller). The royalty and fee together never exceed the
 * offer's signed `maxFees`: if the brand raised them since, the Market refuses with `MarketFeesTooHigh`.
 * Nothing is approved but the stamp (see {@link approveMarket}).
 *
 * @example
 * const { sale } = await acceptOffer(ada, { program, offer, tokenId: 1_000_000_001n });
 */
export async function acceptOffer(
  client: WriteClient,
  { program, offer, tokenId }: AcceptOfferParameters,
): Promise<AcceptOfferReturnType> {
  await checkTradableStamp(client, program, "tokenId", tokenId, client.account.address);
  const result = await execute(
    client,
    {
      address: program.market,
      abi: marketAbi,
      functionName: "acceptOffer",
      args: [offer.order, offer.signature, tokenId],
    },
    [marketErrorCatalog],
  );
  return { ...result, sale: saleOf(result) };
}
