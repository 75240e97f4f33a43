import { stampsErrorCatalog } from "../errors/stamps.js";
import { isAddressEqual, type Address } from "viem";
import { getContractEvents, readContract } from "viem/actions";
import { stampsAbi } from "../generated/abis.js";
import { ContractRevertError } from "../errors.js";
import { read } from "../internal/read.js";
import type { Program, ReadClient } from "../program.js";
import { decodeStampId } from "../utils/stampId.js";

export interface StampMetadata {
  name?: string;
  image?: string;
  attributes?: Array<{ trait_type: string; value: string | number; display_type?: string; max_value?: number }>;
}

export interface MemberStamp {
  tokenId: bigint;
  seriesId: bigint;
  edition: bigint;
  tokenURI: string;
  /** Decoded when the URI is on-chain JSON; undefined for an off-chain base URI (fetch it yourself). */
  metadata: StampMetadata | undefined;
}

/**
 * Decodes a `data:application/json;base64,` token URI; undefined for any other URI. Browser-safe.
 *
 * @example
 * decodeTokenURI(await readContract(client, { address: program.stamps, abi: stampsAbi, functionName: "tokenURI", args: [id] }))?.name;
 */
export function decodeTokenURI(uri: string): StampMetadata | undefined {
  const prefix = "data:application/json;base64,";
  if (!uri.startsWith(prefix)) return undefined;
  const bytes = Uint8Array.from(atob(uri.slice(prefix.length)), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as StampMetadata;
}

export interface GetMemberStampsParameters {
  program: Program;
  member: Address;
}

export type GetMemberStampsReturnType = MemberStamp[];

/**
 * The stamps a member holds now, with their metadata, found from the Transfer events into the member's
 * wallet and checked against the current owner.
 *
 * @example
 * for (const stamp of await getMemberStamps(client, { program, member: alice })) {
 *   console.log(stamp.metadata?.name); // "Autumn Cup #12 of 500"
 * }
 */
export async function getMemberStamps(
  client: ReadClient,
  { program, member }: GetMemberStampsParameters,
): Promise<GetMemberStampsReturnType> {
  const received = await getContractEvents(client, {
    address: program.stamps,
    abi: stampsAbi,
    eventName: "Transfer",
    args: { to: member },
    fromBlock: program.deployBlock,
  });
  const candidates = [...new Set(received.map((log) => log.args.tokenId).filter((id) => id !== undefined))];
  // Every candidate's owner at once, then every held stamp's URI at once: two round trips, not two per stamp (and
  // one request each on a client whose transport batches).
  const owners = await Promise.all(
    candidates.map((tokenId) =>
      read(client, { address: program.stamps, abi: stampsAbi, functionName: "ownerOf", args: [tokenId] }, [
        stampsErrorCatalog,
      ]).catch((error: unknown) => {
        if (error instanceof ContractRevertError && error.errorName === "ERC721NonexistentToken") return undefined;
        throw error; // burned stamps are skipped; anything else (an RPC failure) is not
      }),
    ),
  );
  const ids = candidates
    .filter((_, i) => owners[i] !== undefined && isAddressEqual(owners[i], member))
    .sort((a, b) => (a < b ? -1 : 1));
  const uris = await Promise.all(
    ids.map((tokenId) =>
      readContract(client, { address: program.stamps, abi: stampsAbi, functionName: "tokenURI", args: [tokenId] }),
    ),
  );
  const held: MemberStamp[] = ids.map((tokenId, i) => ({
    tokenId,
    ...decodeStampId(tokenId),
    tokenURI: uris[i]!,
    metadata: decodeTokenURI(uris[i]!),
  }));
  return held;
}
