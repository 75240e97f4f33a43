import { partnerExchangeErrorCatalog } from "../errors/partnerExchange.js";
import type { Address } from "viem";
import { getBlock, readContract } from "viem/actions";
import { partnerExchangeAbi } from "../generated/abis.js";
import { InvalidArgumentError } from "../errors.js";
import { withReadErrors } from "../internal/read.js";
import { requireAddress, requireRange } from "../internal/validate.js";
import type { ReadClient } from "../program.js";

export interface QuoteExchangeParameters {
  exchange: Address;
  id: bigint;
  /** Points of A the member would convert. */
  amount: bigint;
  /** Whose remaining caps to read (optional). */
  member?: Address;
}

export interface QuoteExchangeReturnType {
  /** Points of B `amount` converts to, exactly. */
  credited: bigint;
  /** Whether the agreement is in effect now (both accepted, not paused or ended, before its end date). */
  active: boolean;
  /** Points of A the member may still convert this period (the lower of the member and period caps left). */
  remaining: bigint | null;
}

/**
 * What converting `amount` points of A yields under an agreement, whether it is in effect, and what the member may
 * still convert this period. An amount that is not a whole multiple of the rate is refused here, before any
 * transaction, with the nearest amounts that convert exactly.
 *
 * @example
 * const { credited, remaining } = await quoteExchange(client, { exchange, id, amount: 100n, member });
 */
export async function quoteExchange(
  client: ReadClient,
  { exchange, id, amount, member }: QuoteExchangeParameters,
): Promise<QuoteExchangeReturnType> {
  requireAddress("exchange", exchange);
  requireRange("id", id, 1n);
  requireRange("amount", amount, 1n);
  if (member !== undefined) requireAddress("member", member);
  // One step: what the agreement, the block and the caps say, an amount refused on them passing through as it is.
  return withReadErrors(async () => {
    const [terms, acceptedA, acceptedB, paused, ended] = await readContract(client, {
      address: exchange,
      abi: partnerExchangeAbi,
      functionName: "agreement",
      args: [id],
    });
    if (amount % terms.rateA !== 0n) {
      const lower = amount - (amount % terms.rateA);
      throw new InvalidArgumentError(
        "amount",
        `must be a whole multiple of ${terms.rateA} to convert exactly (got ${amount}).`,
        `Convert ${lower > 0n ? `${lower} or ` : ""}${lower + terms.rateA} instead.`,
      );
    }
    const block = await getBlock(client);
    const active = acceptedA && acceptedB && !paused && !ended && block.timestamp < terms.endsAt;
    let remaining: bigint | null = null;
    if (member !== undefined) {
      const [byMember, total] = await readContract(client, {
        address: exchange,
        abi: partnerExchangeAbi,
        functionName: "usedThisPeriod",
        args: [id, member],
      });
      const memberLeft = terms.memberCap - byMember;
      const periodLeft = terms.periodCap - total;
      remaining = memberLeft < periodLeft ? memberLeft : periodLeft;
    }
    return { credited: (amount / terms.rateA) * terms.rateB, active, remaining };
  }, [partnerExchangeErrorCatalog]);
}
