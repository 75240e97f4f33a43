import { brandPaymasterErrorCatalog, brandPaymasterErrors } from "./brandPaymaster.js";
import { consentRegistryErrorCatalog, consentRegistryErrors } from "./consentRegistry.js";
import { marketErrorCatalog, marketErrors } from "./market.js";
import { memberAccountErrorCatalog, memberAccountErrors } from "./memberAccount.js";
import { memberAccountFactoryErrorCatalog, memberAccountFactoryErrors } from "./memberAccountFactory.js";
import { partnerExchangeErrorCatalog, partnerExchangeErrors } from "./partnerExchange.js";
import { pointsErrorCatalog, pointsErrors } from "./points.js";
import { rewardsErrorCatalog, rewardsErrors } from "./rewards.js";
import { sharedErrorCatalog, sharedErrors } from "./shared.js";
import { stampsErrorCatalog, stampsErrors } from "./stamps.js";
import type { ErrorSentences, ProgramErrorName } from "./types.js";

/**
 * One sentence per custom error of the program, from the table of each contract and the shared one.
 * Each table is checked against its own ABI; this checks (when it compiles) that together they leave no error out.
 */
const sentences = {
  ...stampsErrors,
  ...pointsErrors,
  ...marketErrors,
  ...consentRegistryErrors,
  ...rewardsErrors,
  ...partnerExchangeErrors,
  ...memberAccountErrors,
  ...memberAccountFactoryErrors,
  ...brandPaymasterErrors,
  ...sharedErrors,
} satisfies ErrorSentences<ProgramErrorName>;

/**
 * The catalog of every contract of the program: what `toPunchcardError` decodes with, where the SDK's own actions
 * name the one of the contract they call (so a page carries only those).
 */
export const programErrorCatalogs = [
  stampsErrorCatalog,
  pointsErrorCatalog,
  marketErrorCatalog,
  consentRegistryErrorCatalog,
  rewardsErrorCatalog,
  partnerExchangeErrorCatalog,
  memberAccountErrorCatalog,
  memberAccountFactoryErrorCatalog,
  brandPaymasterErrorCatalog,
  sharedErrorCatalog,
];

/**
 * Whether the SDK has a sentence for this custom error (a test keeps every contract error covered).
 *
 * @example
 * hasExplanation("StampsSeriesSoldOut"); // true
 */
export function hasExplanation(errorName: string): boolean {
  return errorName in sentences;
}
