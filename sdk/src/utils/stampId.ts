import { EDITIONS_PER_SERIES } from "../constants.js";

/**
 * The series and edition a stamp id encodes.
 *
 * @example
 * decodeStampId(1_000_000_012n); // { seriesId: 1n, edition: 12n }
 */
export function decodeStampId(tokenId: bigint): { seriesId: bigint; edition: bigint } {
  return { seriesId: tokenId / EDITIONS_PER_SERIES, edition: tokenId % EDITIONS_PER_SERIES };
}

/**
 * The stamp id of an edition of a series.
 *
 * @example
 * encodeStampId(1n, 12n); // 1_000_000_012n
 */
export function encodeStampId(seriesId: bigint, edition: bigint): bigint {
  return seriesId * EDITIONS_PER_SERIES + edition;
}
