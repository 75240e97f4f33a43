import { stampsErrorCatalog } from "../errors/stamps.js";
import { getBlock, readContract } from "viem/actions";
import { stampsAbi } from "../generated/abis.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import { requireRange } from "../internal/validate.js";
import type { Program, WriteClient } from "../program.js";

export interface AnnounceProgramEndParameters {
  program: Program;
  /**
   * When the program ends, in Unix seconds: at least the notice period fixed at deployment from now. Defaults to the
   * earliest date allowed (the latest block's time plus the notice period, plus a minute for the transaction to be mined).
   */
  endsAt?: bigint;
}

export interface AnnounceProgramEndReturnType extends ExecuteResult {
  /** When the program ends, in Unix seconds. */
  endsAt: bigint;
  /** The notice period fixed at deployment, in seconds. */
  noticePeriodSeconds: bigint;
}

/** Slack for the announcement to be mined after the block whose time set the default end date. */
const MINING_MARGIN_SECONDS = 60n;

/**
 * Announces the end of the program. Admin only. From then on nothing is credited for money; members keep redeeming,
 * trading and converting until `endsAt`, after which stamps stay with their holders and point balances freeze.
 * An end sooner than the notice period is refused by the contract (`ProgramNoticeTooShort`).
 *
 * @example
 * const { endsAt } = await announceProgramEnd(brand, { program }); // the earliest date the notice allows
 */
export async function announceProgramEnd(
  client: WriteClient,
  { program, endsAt }: AnnounceProgramEndParameters,
): Promise<AnnounceProgramEndReturnType> {
  const noticePeriodSeconds = await readContract(client, {
    address: program.stamps,
    abi: stampsAbi,
    functionName: "noticePeriod",
  });
  const end =
    endsAt === undefined
      ? (await getBlock(client, { blockTag: "latest" })).timestamp + noticePeriodSeconds + MINING_MARGIN_SECONDS
      : requireRange("endsAt", endsAt, 1n, undefined, " (Unix seconds)");
  const result = await execute(
    client,
    {
      address: program.stamps,
      abi: stampsAbi,
      functionName: "announceEnd",
      args: [end],
    },
    [stampsErrorCatalog],
  );
  return { ...result, endsAt: end, noticePeriodSeconds };
}
