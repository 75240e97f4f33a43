import type { ContractErrorSentences } from "./types.js";

/** One sentence per custom error only the member account factory raises (OpenZeppelin's clone deployment). */
export const memberAccountFactoryErrors = {
  FailedDeployment: () =>
    "The member account could not be deployed at its address: check the passkey and recoverer, then send the UserOp again.",
  InsufficientBalance: ([balance, needed]) => `The factory holds ${balance} wei and needs ${needed}: send no value with it.`,
} satisfies ContractErrorSentences<"memberAccountFactory">;
