import type { Address, LocalAccount } from "viem";
import type { Sponsor } from "./prepareSponsoredUserOperation.js";
import { signSponsorship } from "./signSponsorship.js";

export type SponsorWithKeyParameters = {
  /** The BrandPaymaster's sponsor key. */
  sponsor: LocalAccount;
  /** The BrandPaymaster. */
  paymaster: Address;
  chainId: number;
  /** Seconds a sponsorship holds from now (default 120): an unsent UserOp does not stay payable for long. */
  lifetime?: number | undefined;
  /** The clock (unix seconds; default the machine's). */
  now?: (() => number) | undefined;
};

export type SponsorWithKeyReturnType = Sponsor;

/**
 * A {@link Sponsor} that signs every UserOp it is given with the sponsor key: for the program server once its
 * policy allowed the UserOp, and for tests. Never hand it to a member's browser: it would sponsor anything.
 *
 * @example
 * const sponsor = sponsorWithKey({ sponsor: serverKey, paymaster, chainId });
 */
export function sponsorWithKey({
  sponsor,
  paymaster,
  chainId,
  lifetime = 120,
  now = () => Math.floor(Date.now() / 1000),
}: SponsorWithKeyParameters): SponsorWithKeyReturnType {
  return async (userOperation) => ({
    paymaster,
    paymasterData: await signSponsorship({ sponsor, paymaster, chainId, userOperation, validUntil: now() + lifetime }),
  });
}
