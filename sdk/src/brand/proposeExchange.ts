import { partnerExchangeErrorCatalog } from "../errors/partnerExchange.js";
import { pointsErrorCatalog } from "../errors/points.js";
import { parseEventLogs, type Address } from "viem";
import { readContract } from "viem/actions";
import { partnerExchangeAbi, pointsAbi } from "../generated/abis.js";
import { InvalidArgumentError, PunchcardError } from "../errors.js";
import { execute, type ExecuteResult } from "../internal/execute.js";
import { requireAddress, requireRange } from "../internal/validate.js";
import { ROLES } from "../constants.js";
import type { Program, WriteClient } from "../program.js";

/** What two programs agree: points of A convert to points of B, `rateA` for `rateB`, exactly. */
export interface ExchangeTerms {
  /** Points of the program converted from. */
  pointsA: Address;
  /** Points of the program converted to. */
  pointsB: Address;
  /** Points of A per step of the rate (smallest unit); conversions are whole multiples of it. */
  rateA: bigint;
  /** Points of B per step of the rate. */
  rateB: bigint;
  /** Most points of A one member converts per period. */
  memberCap: bigint;
  /** Most points of A all members convert per period. */
  periodCap: bigint;
  /** Seconds of a cap period. */
  periodSeconds: bigint;
  /** When the agreement ends, in Unix seconds. */
  endsAt: bigint;
  /** A's consent registry when each member's partner-sharing consent is required; absent: not required. */
  consentA?: Address;
}

export interface ProposeExchangeParameters {
  /** The PartnerExchange contract. */
  exchange: Address;
  /** The proposer's own program (its admin sends this): side A or side B of the terms. */
  program: Program;
  terms: ExchangeTerms;
}

export interface ProposeExchangeReturnType extends ExecuteResult {
  /** The new agreement's id, for the partner to accept. */
  id: bigint;
}

/**
 * Proposes an exchange between two programs; the proposing admin accepts it by proposing, and the partner's admin
 * accepts it with acceptExchange. Also lets the exchange act for the proposer's side: as side B it gets the minter
 * role (it credits converted points), as side A it becomes an operator (it moves points even while transfers are off).
 *
 * @example
 * const { id } = await proposeExchange(brand, { exchange, program, terms: { pointsA: program.points, pointsB, rateA: 10n, rateB: 3n, memberCap: 500n, periodCap: 10_000n, periodSeconds: 604_800n, endsAt } });
 */
export async function proposeExchange(
  client: WriteClient,
  { exchange, program, terms }: ProposeExchangeParameters,
): Promise<ProposeExchangeReturnType> {
  requireAddress("exchange", exchange);
  requireAddress("terms.pointsA", terms.pointsA);
  requireAddress("terms.pointsB", terms.pointsB);
  for (const field of ["rateA", "rateB", "memberCap", "periodCap", "periodSeconds"] as const) {
    requireRange(`terms.${field}`, terms[field], 1n);
  }
  requireRange("terms.endsAt", terms.endsAt, 1n, 2n ** 64n - 1n);
  if (terms.consentA !== undefined) requireAddress("terms.consentA", terms.consentA);
  const side = sideOf(program, terms);
  const result = await execute(
    client,
    {
      address: exchange,
      abi: partnerExchangeAbi,
      functionName: "propose",
      args: [
        {
          pointsA: terms.pointsA,
          pointsB: terms.pointsB,
          rateA: terms.rateA,
          rateB: terms.rateB,
          memberCap: terms.memberCap,
          periodCap: terms.periodCap,
          period: terms.periodSeconds,
          endsAt: terms.endsAt,
          consentA: terms.consentA ?? "0x0000000000000000000000000000000000000000",
        },
      ],
    },
    [partnerExchangeErrorCatalog],
  );
  const [event] = parseEventLogs({ abi: partnerExchangeAbi, eventName: "ExchangeProposed", logs: result.receipt.logs });
  if (!event) throw new PunchcardError(`Transaction ${result.hash} proposed no exchange: is ${exchange} a PartnerExchange?`);
  await enableSide(client, exchange, program, side);
  return { ...result, id: event.args.id };
}

/** Which side of the terms `program` is; a program on neither side cannot propose or accept. */
export function sideOf(program: Program, terms: { pointsA: Address; pointsB: Address }): "A" | "B" {
  const points = program.points.toLowerCase();
  if (points === terms.pointsA.toLowerCase()) return "A";
  if (points === terms.pointsB.toLowerCase()) return "B";
  throw new InvalidArgumentError(
    "program",
    `is neither side of the exchange (its Points ${program.points} are not pointsA or pointsB).`,
  );
}

/** Lets the exchange act on the program's side: credit as B (minter role), move points as A (operator). */
export async function enableSide(client: WriteClient, exchange: Address, program: Program, side: "A" | "B"): Promise<void> {
  if (side === "B") {
    const has = await readContract(client, {
      address: program.points,
      abi: pointsAbi,
      functionName: "hasRole",
      args: [ROLES.minter, exchange],
    });
    if (!has) {
      await execute(
        client,
        {
          address: program.points,
          abi: pointsAbi,
          functionName: "grantRole",
          args: [ROLES.minter, exchange],
        },
        [pointsErrorCatalog],
      );
    }
  } else {
    const operator = await readContract(client, {
      address: program.points,
      abi: pointsAbi,
      functionName: "isOperator",
      args: [exchange],
    });
    if (!operator) {
      await execute(client, { address: program.points, abi: pointsAbi, functionName: "setOperator", args: [exchange, true] }, [
        pointsErrorCatalog,
      ]);
    }
  }
}
