import type { Abi } from "viem";
import {
  brandPaymasterAbi,
  consentRegistryAbi,
  marketAbi,
  memberAccountAbi,
  memberAccountFactoryAbi,
  partnerExchangeAbi,
  pointsAbi,
  rewardsAbi,
  stampsAbi,
} from "@punchcard/sdk";

/**
 * Every contract ABI the SDK exports: the program's contracts, the partner exchange, and a passkey card's account,
 * factory and paymaster. The tests that check each custom error has a sentence (the SDK's in English, the wallet's in
 * every language) and decodes read their errors from here, so a contract added to one list is added to all.
 */
export const PROGRAM_ABIS: readonly Abi[] = [
  stampsAbi,
  pointsAbi,
  marketAbi,
  consentRegistryAbi,
  rewardsAbi,
  partnerExchangeAbi,
  memberAccountAbi,
  memberAccountFactoryAbi,
  brandPaymasterAbi,
];

/** The name of every custom error of those ABIs, once each. */
export const PROGRAM_ERROR_NAMES: ReadonlySet<string> = new Set(
  PROGRAM_ABIS.flatMap((abi) => abi.flatMap((item) => (item.type === "error" ? [item.name] : []))),
);
