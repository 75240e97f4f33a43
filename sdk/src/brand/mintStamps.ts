import { stampsErrorCatalog } from "../errors/stamps.js";
import { parseEventLogs, zeroAddress, type Address } from "viem";
import { stampsAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import { requireAddress, requireLength, requireRange } from "../internal/validate.js";
import type { Program, WriteClient } from "../program.js";
import { decodeStampId } from "../utils/stampId.js";
import { MAX_STAMP_BATCH } from "../constants.js";

export interface MintStampsParameters {
  program: Program;
  seriesId: bigint;
  /** One stamp to each, in order. One member mints with `Stamps.mint`, more with `Stamps.mintBatch`. */
  to: readonly Address[];
}

export interface MintedStamp {
  to: Address;
  tokenId: bigint;
  seriesId: bigint;
  edition: bigint;
}

export interface MintStampsReturnType extends ExecuteResult {
  stamps: MintedStamp[];
}

/**
 * Mints the next editions of a series, one to each member, in one transaction. The client's account
 * needs the minter role.
 *
 * @example
 * const { stamps } = await mintStamps(backend, { program, seriesId: 1n, to: [alice, bob] });
 * console.log(stamps.map((s) => `#${s.edition} -> ${s.to}`));
 */
export async function mintStamps(
  client: WriteClient,
  { program, seriesId, to }: MintStampsParameters,
): Promise<MintStampsReturnType> {
  requireLength("to", to, MAX_STAMP_BATCH);
  for (const [i, address] of to.entries()) requireAddress(`to[${i}]`, address);
  requireRange("seriesId", seriesId, 1n);
  const [single] = to;
  const result =
    to.length === 1 && single
      ? await execute(client, { address: program.stamps, abi: stampsAbi, functionName: "mint", args: [single, seriesId] }, [
          stampsErrorCatalog,
        ])
      : await execute(
          client,
          {
            address: program.stamps,
            abi: stampsAbi,
            functionName: "mintBatch",
            args: [to, seriesId],
          },
          [stampsErrorCatalog],
        );
  const stamps = parseEventLogs({ abi: stampsAbi, eventName: "Transfer", logs: result.receipt.logs })
    .filter((log) => log.args.from === zeroAddress)
    .map((log) => ({ to: log.args.to, tokenId: log.args.tokenId, ...decodeStampId(log.args.tokenId) }));
  return { ...result, stamps };
}
