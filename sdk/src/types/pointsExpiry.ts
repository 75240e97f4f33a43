/** How a program's points expire: "none" (never) or "inactivity" (the whole balance, after N days without activity). */
export type PointsExpiry = "none" | "inactivity";

/** The Points contract's `Expiry` enum value of each model. */
export const pointsExpiryValue = { none: 0, inactivity: 1 } as const satisfies Record<PointsExpiry, number>;

/**
 * The model of the Points contract's `Expiry` enum value.
 *
 * @example
 * pointsExpiryOf(1); // "inactivity"
 */
export function pointsExpiryOf(value: number): PointsExpiry {
  return value === pointsExpiryValue.inactivity ? "inactivity" : "none";
}
