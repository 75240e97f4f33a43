import type { ContractErrorSentences } from "./types.js";
import { brandPaymasterErrorAbi } from "../generated/errorAbi.js";
import { errorCatalog } from "./catalog.js";

/** One sentence per custom error only the brand's paymaster raises, saying what happened and what to do. */
export const brandPaymasterErrors = {
  BrandPaymasterZeroSponsor: () => "The paymaster's sponsor cannot be the zero address: give the program server's signing key.",
  BrandPaymasterZeroAddress: () => "The paymaster cannot send coin to the zero address: give a recipient.",
  PaymasterUnauthorized: ([sender]) =>
    `${sender} is not the EntryPoint: only the EntryPoint asks the paymaster to pay for a UserOp.`,
} satisfies ContractErrorSentences<"brandPaymaster">;

/** The errors and sentences of the brand paymaster: what an action calling it decodes a revert with. */
export const brandPaymasterErrorCatalog = /* @__PURE__ */ errorCatalog(brandPaymasterErrorAbi, brandPaymasterErrors);
