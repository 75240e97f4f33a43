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
   * earliest date allowed: the time of the block that will carry the announcement (the pending block's, or the
   * latest's where the node has no pending block) plus the notice period, plus a minute for it to be mined.
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
 * The time the next block will have, as well as the node can tell: the pending block's. A chain left idle (or a dev
 * chain whose clock was moved) has a latest block far older than the next one, and an end counted from it would be
 * short of the notice when mined. A node without a pending block answers with the latest's.
 */
async function nextBlockTime(client: WriteClient): Promise<bigint> {
  const latest = (await getBlock(client, { blockTag: "latest" })).timestamp;
  const pending = await getBlock(client, { blockTag: "pending" }).then(
    (block) => block.timestamp,
    () => latest,
  );
  return pending > latest ? pending : latest;
}

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
      ? (await nextBlockTime(client)) + noticePeriodSeconds + MINING_MARGIN_SECONDS
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
