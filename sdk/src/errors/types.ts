import type { ContractErrorArgs } from "viem";
import type {
  brandPaymasterAbi,
  consentRegistryAbi,
  marketAbi,
  memberAccountAbi,
  memberAccountFactoryAbi,
  partnerExchangeAbi,
  pointsAbi,
  rewardsAbi,
  stampsAbi,
} from "../generated/abis.js";

/** The `as const` ABIs of the program's contracts, by the name of the file under errors/ that explains their errors. */
export interface ProgramAbis {
  stamps: typeof stampsAbi;
  points: typeof pointsAbi;
  market: typeof marketAbi;
  consentRegistry: typeof consentRegistryAbi;
  rewards: typeof rewardsAbi;
  partnerExchange: typeof partnerExchangeAbi;
  memberAccount: typeof memberAccountAbi;
  memberAccountFactory: typeof memberAccountFactoryAbi;
  brandPaymaster: typeof brandPaymasterAbi;
}

/** Every item of the program's ABIs. */
type ProgramAbiItem = ProgramAbis[keyof ProgramAbis][number];

/** The name of every custom error in one contract's ABI (or in several, given a union). */
export type ContractErrorName<Contract extends keyof ProgramAbis> = Extract<
  ProgramAbis[Contract][number],
  { type: "error" }
>["name"];

/** The name of every custom error in the program's ABIs. */
export type ProgramErrorName = ContractErrorName<keyof ProgramAbis>;

/**
 * The errors more than one contract raises (OpenZeppelin's access control and signatures, the pause):
 * explained once, in shared.ts, rather than once per contract.
 */
export type SharedErrorName = {
  [Contract in keyof ProgramAbis]: ContractErrorName<Contract> & ContractErrorName<Exclude<keyof ProgramAbis, Contract>>;
}[keyof ProgramAbis];

/** One sentence per error of `Names`, each reading the error's arguments as the ABI types them (a uint256 is a bigint). */
export type ErrorSentences<Names extends ProgramErrorName> = {
  [Name in Names]: (args: ContractErrorArgs<readonly ProgramAbiItem[], Name>) => string;
};

/**
 * The sentences of the errors only `Contract` raises. A table declared with `satisfies` over it fails to
 * compile when the contract gains an error without a sentence, loses one that still has a sentence, or
 * when a sentence reads an argument the error does not carry.
 */
export type ContractErrorSentences<Contract extends keyof ProgramAbis> = ErrorSentences<
  Exclude<ContractErrorName<Contract>, SharedErrorName>
>;
