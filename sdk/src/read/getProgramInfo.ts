import type { Address } from "viem";
import { readContract } from "viem/actions";
import { pointsAbi, stampsAbi } from "../generated/abis.js";
import type { Program, ReadClient } from "../program.js";
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

export interface ProgramInfo {
  stamps: { name: string; symbol: string; transferPolicy: TransferPolicy; giftsAllowed: boolean; contractURI: string };
  points: { name: string; symbol: string; decimals: number; totalSupply: bigint; transferable: boolean };
  royalty: { treasury: Address; royaltyBps: bigint };
  series: SeriesInfo[];
}

export interface GetProgramInfoParameters {
  program: Program;
}

export type GetProgramInfoReturnType = ProgramInfo;

/**
 * Everything public about a program: token names, policy, royalty, points outstanding, and every series.
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
  const [pointsName, pointsSymbol, decimals, totalSupply, transferable, royalty] = await Promise.all([
    readContract(client, { ...points, functionName: "name" }),
    readContract(client, { ...points, functionName: "symbol" }),
    readContract(client, { ...points, functionName: "decimals" }),
    readContract(client, { ...points, functionName: "totalSupply" }),
    readContract(client, { ...points, functionName: "transferable" }),
    // ERC-2981 at a sale price of 10,000 gives the rate in basis points.
    readContract(client, { ...stamps, functionName: "royaltyInfo", args: [0n, 10_000n] }),
  ]);
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
    points: { name: pointsName, symbol: pointsSymbol, decimals, totalSupply, transferable },
    royalty: { treasury: royalty[0], royaltyBps: royalty[1] },
    series,
  };
}
