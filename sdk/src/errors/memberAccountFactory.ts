import type { ContractErrorSentences } from "./types.js";
import { memberAccountFactoryErrorAbi } from "../generated/errorAbi.js";
import { errorCatalog } from "./catalog.js";
import { memberAccountErrorCatalog } from "./memberAccount.js";

/** One sentence per custom error only the member account factory raises (OpenZeppelin's clone deployment). */
export const memberAccountFactoryErrors = {
  FailedDeployment: () =>
    "The member account could not be deployed at its address: check the passkey and recoverer, then send the UserOp again.",
  CloneArgumentsTooLong: () =>
    "The member account's clone arguments are too long for its code: the factory holds only the first passkey's id there.",
  Create2EmptyBytecode: () => "The member account's creation code was empty: the factory could not deploy it.",
  InsufficientBalance: ([balance, needed]) => `The factory holds ${balance} wei and needs ${needed}: send no value with it.`,
} satisfies ContractErrorSentences<"memberAccountFactory">;

/** The errors and sentences of the member account factory and, through it, of the contracts it calls: what an action calling it decodes a revert with. */
export const memberAccountFactoryErrorCatalog = /* @__PURE__ */ errorCatalog(
  memberAccountFactoryErrorAbi,
  memberAccountFactoryErrors,
  [memberAccountErrorCatalog],
);
