import { stampsErrorCatalog } from "../errors/stamps.js";
import { parseEventLogs } from "viem";
import { stampsAbi } from "../generated/abis.js";
import { InvalidArgumentError } from "../errors.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import { requireRange } from "../internal/validate.js";
import type { Program, WriteClient } from "../program.js";
import { MAX_SERIES_SUPPLY } from "../constants.js";

export interface CreateSeriesParameters {
  program: Program;
  /** Shown in wallets as "<name> #<edition> of <maxSupply>". */
  name: string;
  /** Editions that can ever be minted. */
  maxSupply: bigint;
  /** Soulbound stamps never move from their first holder. */
  soulbound?: boolean;
  /** Image of every stamp of the series. */
  imageURI?: string;
  /** When set, a stamp's metadata is `baseURI + edition` instead of the on-chain JSON. */
  baseURI?: string;
}

export interface CreateSeriesReturnType extends ExecuteResult {
  seriesId: bigint;
}

const unsafe = /["\\\u0000-\u001f\u007f]/;

/**
 * Creates a limited-edition stamp series. The client's account must be the program's admin.
 *
 * @example
 * const { seriesId } = await createSeries(brand, {
 *   program, name: "Autumn Cup", maxSupply: 500n, imageURI: "ipfs://autumn.png",
 * });
 */
export async function createSeries(
  client: WriteClient,
  { program, name, maxSupply, soulbound = false, imageURI = "", baseURI = "" }: CreateSeriesParameters,
): Promise<CreateSeriesReturnType> {
  if (name.length === 0) throw new InvalidArgumentError("name", "is required.");
  for (const [argument, text] of [
    ["name", name],
    ["imageURI", imageURI],
    ["baseURI", baseURI],
  ] as const) {
    if (unsafe.test(text)) {
      throw new InvalidArgumentError(argument, "cannot contain quotes, backslashes or control characters.");
    }
  }
  requireRange("maxSupply", maxSupply, 1n, MAX_SERIES_SUPPLY);
  const result = await execute(
    client,
    {
      address: program.stamps,
      abi: stampsAbi,
      functionName: "createSeries",
      args: [name, maxSupply, soulbound, imageURI, baseURI],
    },
    [stampsErrorCatalog],
  );
  const [created] = parseEventLogs({ abi: stampsAbi, eventName: "StampsSeriesCreated", logs: result.receipt.logs });
  if (!created) throw new Error(`createSeries: no StampsSeriesCreated event in ${result.hash}`);
  return { ...result, seriesId: created.args.seriesId };
}
