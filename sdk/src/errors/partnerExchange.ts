import type { ContractErrorSentences } from "./types.js";
import { partnerExchangeErrorAbi } from "../generated/errorAbi.js";
import { errorCatalog } from "./catalog.js";
import { consentRegistryErrorCatalog } from "./consentRegistry.js";
import { pointsErrorCatalog } from "./points.js";

/**
 * One sentence per custom error only the PartnerExchange raises, saying what happened and what to do.
 */
export const partnerExchangeErrors = {
  ExchangeUnknown: ([id]) => `No partner exchange agreement has id ${id}: check the id proposeExchange returned.`,
  ExchangeNotAdmin: ([caller]) =>
    `${caller} is not the admin of either program's Points in this agreement (or its side already accepted): the program's admin must send it.`,
  ExchangeInvalidTerms: () =>
    "The exchange terms are unusable: two different Points, non-zero rates, caps and period, and an end date in the future are required.",
  ExchangeNotActive: ([id]) =>
    `Exchange ${id} is not in effect: both admins must accept it, and it must not be paused, ended or past its end date.`,
  ExchangeAlreadyEnded: ([id]) => `Exchange ${id} was ended for good: propose a new agreement instead.`,
  ExchangeInexactAmount: ([amountA, rateA]) =>
    `${amountA} points cannot convert exactly: convert a non-zero multiple of ${rateA} (quoteExchange shows what it yields).`,
  ExchangeMemberCapExceeded: ([member, used, cap]) =>
    `${member} already converted ${used} of the ${cap} points allowed per member this period: wait for the next period.`,
  ExchangePeriodCapExceeded: ([used, cap]) =>
    `Members already converted ${used} of the ${cap} points allowed this period: wait for the next period.`,
  ExchangeConsentRequired: ([member]) =>
    `This exchange shares data with the partner: ${member} must grant partner-sharing consent in the program's registry first.`,
} satisfies ContractErrorSentences<"partnerExchange">;

/** The errors and sentences of the PartnerExchange and, through it, of the contracts it calls: what an action calling it decodes a revert with. */
export const partnerExchangeErrorCatalog = /* @__PURE__ */ errorCatalog(partnerExchangeErrorAbi, partnerExchangeErrors, [
  consentRegistryErrorCatalog,
  pointsErrorCatalog,
]);
