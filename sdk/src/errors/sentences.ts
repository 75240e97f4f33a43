import { brandPaymasterErrors } from "./brandPaymaster.js";
import { consentRegistryErrors } from "./consentRegistry.js";
import { marketErrors } from "./market.js";
import { memberAccountErrors } from "./memberAccount.js";
import { memberAccountFactoryErrors } from "./memberAccountFactory.js";
import { partnerExchangeErrors } from "./partnerExchange.js";
import { pointsErrors } from "./points.js";
import { rewardsErrors } from "./rewards.js";
import { sharedErrors } from "./shared.js";
import { stampsErrors } from "./stamps.js";
import type { ErrorSentences, ProgramErrorName } from "./types.js";

/** Turns a custom error's decoded arguments into its sentence. */
export type Explain = (args: readonly unknown[]) => string;

/**
 * One sentence per custom error of the program, from the table of each contract and the shared one.
 * Each table is checked against its own ABI; this checks that together they leave no error out.
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

/** The sentence of a custom error by name, or undefined for an error none of the program's contracts has. */
export function sentenceOf(errorName: string): Explain | undefined {
  return (sentences as unknown as Record<string, Explain | undefined>)[errorName];
}

/**
 * Whether the SDK has a sentence for this custom error (a test keeps every contract error covered).
 *
 * @example
 * hasExplanation("StampsSeriesSoldOut"); // true
 */
export function hasExplanation(errorName: string): boolean {
  return errorName in sentences;
}
