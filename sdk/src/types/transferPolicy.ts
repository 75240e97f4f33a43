/** How tradable stamps move: "open" (any ERC-721 transfer) or "market-only" (only through approved operators). */
export type TransferPolicy = "open" | "market-only";

/** The Stamps contract's enum value of each policy, and back. */
export const transferPolicyValue = { open: 0, "market-only": 1 } as const satisfies Record<TransferPolicy, number>;

/**
 * The policy of the Stamps contract's enum value.
 *
 * @example
 * transferPolicyOf(1); // "market-only"
 */
export function transferPolicyOf(value: number): TransferPolicy {
  return value === transferPolicyValue["market-only"] ? "market-only" : "open";
}
