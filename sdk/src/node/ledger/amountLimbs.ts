/**
 * uint256 amounts as limbs an SQL `sum()` adds exactly on both engines.
 *
 * SQLite integers are signed 64-bit and `sum()` fails on overflow (`total()` rounds through a double),
 * so a decimal text column cannot be summed exactly past 2^63. Each uint256 column (amount, royalty,
 * fee) therefore also has 8 integer limbs of 32 bits, least significant first. A limb is below 2^32,
 * so the sum of one limb over 2^31 rows (two billion events) still fits in 64 bits; the exact total is
 * put back together in TypeScript from the 8 sums. Postgres sums bigint into numeric, exact at any size,
 * so the same SQL answers on both. A zero limb is stored as NULL (no bytes on either engine: most
 * amounts use one or two limbs).
 */
export const LIMB_COUNT = 8;
export const LIMB_BITS = 32n;
const LIMB_MASK = (1n << LIMB_BITS) - 1n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The uint256 columns stored with limbs. */
export const LIMBED_COLUMNS = ["amount", "royalty", "fee"] as const;
export type LimbedColumn = (typeof LIMBED_COLUMNS)[number];
type LimbIndex = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;
export type LimbColumnName = `${LimbedColumn}_l${LimbIndex}`;

/** Names of a column's limbs, least significant first: amount_l0 ... amount_l7. */
export function limbColumns(column: LimbedColumn): LimbColumnName[] {
  return Array.from({ length: LIMB_COUNT }, (_, i) => `${column}_l${i}` as LimbColumnName);
}

/**
 * A uint256 (decimal text or bigint) as its 8 limbs, zero limbs as null.
 *
 * @example
 * limbsOf(2n ** 32n + 5n); // [5, 1, null, null, null, null, null, null]
 */
export function limbsOf(value: string | bigint | null): Array<number | null> {
  if (value === null) return [null, null, null, null, null, null, null, null];
  let rest = typeof value === "bigint" ? value : BigInt(value);
  if (rest < 0n || rest >> (LIMB_BITS * BigInt(LIMB_COUNT)) !== 0n) {
    throw new RangeError(`${String(value)} is not a uint256.`);
  }
  // Most amounts fit in a double's 53 bits: split them without bigint shifts (the sync's hot path).
  if (rest <= MAX_SAFE) {
    const n = Number(rest);
    const low = n % 2 ** 32;
    const high = (n - low) / 2 ** 32;
    return [low === 0 ? null : low, high === 0 ? null : high, null, null, null, null, null, null];
  }
  const limbs: Array<number | null> = [];
  for (let i = 0; i < LIMB_COUNT; i++) {
    const limb = Number(rest & LIMB_MASK);
    limbs.push(limb === 0 ? null : limb);
    rest >>= LIMB_BITS;
  }
  return limbs;
}

/**
 * The exact total from the sums of each limb (as SQL returns them: text, number, bigint or null).
 * Sums may be negative (a balance's debits are negated limbs).
 *
 * @example
 * fromLimbSums(["5", "1", null, null, null, null, null, null]); // 4294967301n
 */
export function fromLimbSums(sums: ReadonlyArray<string | number | bigint | null | undefined>): bigint {
  let total = 0n;
  for (let i = sums.length - 1; i >= 0; i--) {
    const sum = sums[i];
    total = (total << LIMB_BITS) + (sum === null || sum === undefined ? 0n : BigInt(sum));
  }
  return total;
}

const LIMB_NAMES = LIMBED_COLUMNS.map((column) => [column, limbColumns(column)] as const);

/** The limb columns of a row's uint256 values, for an insert. */
export function limbRow(values: Record<LimbedColumn, string | bigint | null>): Record<LimbColumnName, number | null> {
  const row = {} as Record<LimbColumnName, number | null>;
  for (const [column, names] of LIMB_NAMES) {
    const limbs = limbsOf(values[column]);
    for (let i = 0; i < LIMB_COUNT; i++) row[names[i]!] = limbs[i]!;
  }
  return row;
}
