import { MAX_DATED_LOTS } from "../constants.js";

/**
 * How a program's points expire: "none" (never), "inactivity" (the whole balance, after N days without activity), or
 * "dated" (each earn in a dated lot that expires N days on, spends taking the oldest lots first).
 */
export type PointsExpiry = "none" | "inactivity" | "dated";

/** The Points contract's `Expiry` enum value of each model. */
export const pointsExpiryValue = { none: 0, inactivity: 1, dated: 2 } as const satisfies Record<PointsExpiry, number>;

/**
 * The model of the Points contract's `Expiry` enum value.
 *
 * @example
 * pointsExpiryOf(1); // "inactivity"
 */
export function pointsExpiryOf(value: number): PointsExpiry {
  return value === pointsExpiryValue.dated ? "dated" : value === pointsExpiryValue.inactivity ? "inactivity" : "none";
}

/**
 * Days of one dated-lot period for an expiry of `expiryDays` under "dated": earns of one period share a lot.
 *
 * @example
 * datedLotDays(365); // 12
 */
export function datedLotDays(expiryDays: number): number {
  return Math.ceil(expiryDays / MAX_DATED_LOTS);
}
