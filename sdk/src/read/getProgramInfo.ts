import type { Address } from "viem";
import { readContract } from "viem/actions";
import { PAUSE_SCOPES } from "../constants.js";
import { pointsAbi, stampsAbi } from "../generated/abis.js";
import type { Program, ReadClient } from "../program.js";
import { pointsExpiryOf, type PointsExpiry } from "../types/pointsExpiry.js";
import { transferPolicyOf, type TransferPolicy } from "../types/transferPolicy.js";

export interface SeriesInfo {
  seriesId: bigint;
  name: string;
  imageURI: string;
  baseURI: string;
  maxSupply: bigint;
  minted: bigint;
  soulbound: boolean;
}

/** Where a program is in its life: running, its end announced, or ended. */
export type ProgramStatus = "active" | "ending" | "ended";

/** The program's lifecycle: its end, the promises fixed at deployment, and any pause in force. */
export interface ProgramLifecycleInfo {
  /** At the chain's latest block. */
  status: ProgramStatus;
  /** When the program ends (or ended), in Unix seconds; null while no end is announced. */
  endsAt: bigint | null;
  /** Shortest notice of the end members get, in seconds (fixed at deployment). */
  noticePeriodSeconds: bigint;
  /** Longest a pause may last, in seconds (fixed at deployment). */
  maxPauseSeconds: bigint;
  /**
   * When the program's pause lifts by itself, in Unix seconds, for each contract it stops; null for a contract it
   * does not stop (or when none is in force). The program has one pause, so every non-null date is the same.
   */
  pausedUntil: { stamps: bigint | null; points: bigint | null; market: bigint | null };
}

/** The points' lifecycle terms, fixed at deployment, in the config's shape (`points.pendingDays`, `points.expiry`). */
export interface PointsTermsInfo {
  /** Days bought points stay pending (counted, not spendable); 0 when they are spendable at once. */
  pendingDays: number;
  /** How points expire, and after how many days: without activity ("inactivity") or from each earn ("dated"). */
  expiry: { model: PointsExpiry; days: number };
}

export interface ProgramInfo {
  stamps: { name: string; symbol: string; transferPolicy: TransferPolicy; giftsAllowed: boolean; contractURI: string };
  points: { name: string; symbol: string; decimals: number; totalSupply: bigint; transferable: boolean } & PointsTermsInfo;
  royalty: { treasury: Address; royaltyBps: bigint };
  series: SeriesInfo[];
  lifecycle: ProgramLifecycleInfo;
}

export interface GetProgramInfoParameters {
  program: Program;
}

export type GetProgramInfoReturnType = ProgramInfo;

/**
 * Everything public about a program: token names, policy, royalty, points outstanding and their pending and expiry
 * terms, every series, and its lifecycle (active, ending at a date, or ended; any pause and when it lifts).
 *
 * @example
 * const info = await getProgramInfo(client, { program });
 * console.log(`${info.points.totalSupply} points outstanding`);
 */
export async function getProgramInfo(
  client: ReadClient,
  { program }: GetProgramInfoParameters,
): Promise<GetProgramInfoReturnType> {
  const stamps = { address: program.stamps, abi: stampsAbi } as const;
  const points = { address: program.points, abi: pointsAbi } as const;
  const [stampsName, stampsSymbol, policy, giftsAllowed, contractURI, seriesCount] = await Promise.all([
    readContract(client, { ...stamps, functionName: "name" }),
    readContract(client, { ...stamps, functionName: "symbol" }),
    readContract(client, { ...stamps, functionName: "transferPolicy" }),
    readContract(client, { ...stamps, functionName: "giftsAllowed" }),
    readContract(client, { ...stamps, functionName: "contractURI" }),
    readContract(client, { ...stamps, functionName: "seriesCount" }),
  ]);
  const [pointsName, pointsSymbol, decimals, totalSupply, transferable, terms, royalty] = await Promise.all([
    readContract(client, { ...points, functionName: "name" }),
    readContract(client, { ...points, functionName: "symbol" }),
    readContract(client, { ...points, functionName: "decimals" }),
    readContract(client, { ...points, functionName: "totalSupply" }),
    readContract(client, { ...points, functionName: "transferable" }),
    readContract(client, { ...points, functionName: "terms" }),
    // ERC-2981 at a sale price of 10,000 gives the rate in basis points.
    readContract(client, { ...stamps, functionName: "royaltyInfo", args: [0n, 10_000n] }),
  ]);
  const lifecycle = await readLifecycle(client, program);
  const series = await Promise.all(
    Array.from({ length: Number(seriesCount) }, async (_, i) => {
      const seriesId = BigInt(i + 1);
      const s = await readContract(client, { ...stamps, functionName: "series", args: [seriesId] });
      return { seriesId, ...s };
    }),
  );
  return {
    stamps: {
      name: stampsName,
      symbol: stampsSymbol,
      transferPolicy: transferPolicyOf(Number(policy)),
      giftsAllowed,
      contractURI,
    },
    points: {
      name: pointsName,
      symbol: pointsSymbol,
      decimals,
      totalSupply,
      transferable,
      pendingDays: terms.pendingDays,
      expiry: { model: pointsExpiryOf(terms.expiry), days: terms.expiryDays },
    },
    royalty: { treasury: royalty[0], royaltyBps: royalty[1] },
    series,
    lifecycle,
  };
}

/** ProgramLifecycle.ProgramStatus, in order. */
const programStatuses = ["active", "ending", "ended"] as const satisfies readonly ProgramStatus[];

async function readLifecycle(client: ReadClient, program: Program): Promise<ProgramLifecycleInfo> {
  const stamps = { address: program.stamps, abi: stampsAbi } as const;
  const [status, endsAt, noticePeriodSeconds, maxPauseSeconds] = await Promise.all([
    readContract(client, { ...stamps, functionName: "programStatus" }),
    readContract(client, { ...stamps, functionName: "endsAt" }),
    readContract(client, { ...stamps, functionName: "noticePeriod" }),
    readContract(client, { ...stamps, functionName: "maxPauseDuration" }),
  ]);
  // The program has one pause, kept by Stamps: one deadline, and the scopes it stops (0 when none is in force).
  const [pausedUntil, scopes] = await Promise.all([
    readContract(client, { ...stamps, functionName: "pausedUntil" }),
    readContract(client, { ...stamps, functionName: "pausedScopes" }),
  ]);
  const until = (scope: bigint) => ((scopes & scope) !== 0n ? pausedUntil : null);
  return {
    status: programStatuses[status] ?? "active",
    endsAt: endsAt === 0n ? null : endsAt,
    noticePeriodSeconds,
    maxPauseSeconds,
    pausedUntil: {
      stamps: until(PAUSE_SCOPES.stamps),
      points: until(PAUSE_SCOPES.points),
      market: until(PAUSE_SCOPES.market),
    },
  };
}
