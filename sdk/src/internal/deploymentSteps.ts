import { encodeDeployData, encodeFunctionData, type Abi, type Address, type Hex } from "viem";
import { consentRegistryAbi, marketAbi, pointsAbi, rewardsAbi, stampsAbi } from "../generated/abis.js";
import {
  consentRegistryBytecode,
  marketBytecode,
  pointsBytecode,
  rewardsBytecode,
  stampsBytecode,
} from "../generated/bytecode.js";
import type { ProgramConfig } from "../config/programConfig.js";
import { ROLES } from "../constants.js";
import type { Program } from "../program.js";
import { pointsExpiryValue } from "../types/pointsExpiry.js";
import { transferPolicyValue } from "../types/transferPolicy.js";
import { journeyOf, perkOf } from "../utils/rewardsConfig.js";

/** The program's contracts, in the order a deployment creates them. */
export const PROGRAM_CONTRACTS = ["Stamps", "Points", "Market", "ConsentRegistry", "Rewards"] as const;
export type ProgramContractName = (typeof PROGRAM_CONTRACTS)[number];

/** Where each contract sits in a {@link Program}. */
export const programKeyOf = {
  Stamps: "stamps",
  Points: "points",
  Market: "market",
  ConsentRegistry: "consent",
  Rewards: "rewards",
} as const satisfies Record<ProgramContractName, keyof Program>;

/**
 * One transaction of a deployment: a contract created, or a configuration call. `id` names it for a progress
 * record; `announce` is the progress line printed before the first step of a group.
 */
export type DeploymentStep =
  | {
      kind: "deploy";
      id: string;
      contract: ProgramContractName;
      announce: string;
      abi: Abi;
      bytecode: Hex;
      args: readonly unknown[];
    }
  | {
      kind: "call";
      id: string;
      contract: ProgramContractName;
      announce?: string;
      address: Address;
      abi: Abi;
      functionName: string;
      args: readonly unknown[];
    };

/** The calldata of a step: init code and constructor arguments, or the encoded call. */
export function stepData(step: DeploymentStep): Hex {
  return step.kind === "deploy"
    ? encodeDeployData({ abi: step.abi, bytecode: step.bytecode, args: step.args })
    : encodeFunctionData({ abi: step.abi, functionName: step.functionName, args: step.args });
}

/** The ABI-encoded constructor arguments of a deploy step (what an explorer's verifier asks for). */
export function constructorArgumentsOf(step: Extract<DeploymentStep, { kind: "deploy" }>): Hex {
  return `0x${stepData(step).slice(step.bytecode.length)}`;
}

/**
 * The contract a deployment creates at position `index` (0 to 4), with its constructor arguments; each may name
 * contracts created before it (`deployed`).
 */
export function contractStep(
  config: ProgramConfig,
  admin: Address,
  contract: ProgramContractName,
  deployed: Partial<Program>,
): Extract<DeploymentStep, { kind: "deploy" }> {
  const delay = config.roles.adminDelaySeconds;
  const need = (key: "stamps" | "points" | "consent"): Address => {
    const address = deployed[key];
    if (!address) throw new Error(`${contract} needs ${key} deployed first`);
    return address;
  };
  const step = (abi: Abi, bytecode: Hex, args: readonly unknown[]) =>
    ({ kind: "deploy", id: `deploy ${contract}`, contract, announce: `deploying ${contract}`, abi, bytecode, args }) as const;
  switch (contract) {
    case "Stamps":
      return step(stampsAbi, stampsBytecode, [
        config.stamps.name,
        config.stamps.symbol,
        admin,
        delay,
        config.treasury,
        BigInt(config.royaltyBps),
        transferPolicyValue[config.transferPolicy],
        config.stamps.contractURI,
        {
          noticePeriod: BigInt(config.lifecycle.noticePeriodSeconds),
          maxPauseDuration: BigInt(config.lifecycle.maxPauseSeconds),
        },
      ]);
    case "Points":
      return step(pointsAbi, pointsBytecode, [
        config.points.name,
        config.points.symbol,
        config.points.decimals,
        config.points.transferable,
        admin,
        delay,
        // Points read the program's end date and pause bound from Stamps, so the two tokens agree on both.
        need("stamps"),
        {
          pendingDays: config.points.pendingDays,
          expiry: pointsExpiryValue[config.points.expiry.model],
          expiryDays: config.points.expiry.days,
        },
      ]);
    case "Market":
      return step(marketAbi, marketBytecode, [need("stamps"), need("points"), admin, delay]);
    case "ConsentRegistry":
      return step(consentRegistryAbi, consentRegistryBytecode, [admin, delay]);
    case "Rewards":
      return step(rewardsAbi, rewardsBytecode, [need("stamps"), need("points"), need("consent"), admin, delay]);
  }
}

/**
 * Every configuration call of a deployment, in order, once the five contracts exist: roles (the config's minter and
 * pauser, the minter also the voucher issuer and the consent registry's brand), Rewards a minter of both tokens, the
 * Market an operator of both, market fees and currencies, gifts, the initial series, journeys, tiers and perks.
 */
export function configurationSteps(config: ProgramConfig, admin: Address, program: Program): DeploymentStep[] {
  const minter = config.roles.minter ?? admin;
  const pauser = config.roles.pauser ?? admin;
  const steps: DeploymentStep[] = [];
  let announce: string | undefined;
  const group = (line: string) => (announce = line);
  const call = <const abi extends Abi>(
    contract: ProgramContractName,
    abi: abi,
    functionName: string,
    args: readonly unknown[],
  ) => {
    const id = `${steps.length + 1}: ${contract}.${functionName}`;
    const address = program[programKeyOf[contract]];
    steps.push({ kind: "call", id, contract, address, abi, functionName, args, ...(announce ? { announce } : {}) });
    announce = undefined;
  };

  group(`granting minter role to ${minter} and pauser role to ${pauser}`);
  call("Stamps", stampsAbi, "grantRole", [ROLES.minter, minter]);
  call("Points", pointsAbi, "grantRole", [ROLES.minter, minter]);
  // The program has one pause, kept by Stamps: its pauser stops stamps, points or the Market (pause(scopes)).
  call("Stamps", stampsAbi, "grantRole", [ROLES.pauser, pauser]);
  // The backend attests links (the customer account exists, minor or not) and erases them ("forget me").
  group(`granting the consent registry's brand role to ${minter}`);
  call("ConsentRegistry", consentRegistryAbi, "grantRole", [ROLES.brand, minter]);

  // Rewards mints what vouchers pay; the backend signs vouchers (and cancels them).
  group(`granting Rewards the minter role and the issuer role to ${minter}`);
  call("Stamps", stampsAbi, "grantRole", [ROLES.minter, program.rewards]);
  call("Points", pointsAbi, "grantRole", [ROLES.minter, program.rewards]);
  call("Rewards", rewardsAbi, "grantRole", [ROLES.issuer, minter]);

  group("approving the Market as the operator of stamps and points");
  call("Stamps", stampsAbi, "setOperator", [program.market, true]);
  call("Points", pointsAbi, "setOperator", [program.market, true]);
  // A perk's points cost moves to Rewards before Rewards burns it, even while points are not transferable.
  call("Points", pointsAbi, "setOperator", [program.rewards, true]);
  if (config.market.feeBps > 0) {
    const recipient = config.market.feeRecipient ?? config.treasury;
    group(`setting a market fee of ${config.market.feeBps} bps to ${recipient}`);
    call("Market", marketAbi, "setFee", [recipient, BigInt(config.market.feeBps)]);
  }
  for (const currency of config.market.allowedCurrencies) {
    group(`allowing ${currency} as a currency`);
    call("Market", marketAbi, "setCurrencyAllowed", [currency, true]);
  }
  if (config.market.swapFee > 0) {
    group(`setting a swap fee of ${config.market.swapFee} points`);
    call("Market", marketAbi, "setSwapFee", [BigInt(config.market.swapFee)]);
  }
  if (config.giftsAllowed) {
    group("allowing gifts between members");
    call("Stamps", stampsAbi, "setGiftsAllowed", [true]);
  }
  for (const series of config.series) {
    group(`creating series "${series.name}" (${series.maxSupply} editions${series.soulbound ? ", soulbound" : ""})`);
    call("Stamps", stampsAbi, "createSeries", [
      series.name,
      BigInt(series.maxSupply),
      series.soulbound,
      series.imageURI,
      series.baseURI,
    ]);
  }
  // A perk that asks "holds a stamp of series X" needs X's holders counted from its first mint.
  for (const seriesId of new Set(config.perks.flatMap((perk) => perk.requires.seriesId ?? []))) {
    group(`counting the holders of series ${seriesId}`);
    call("Stamps", stampsAbi, "countHolders", [BigInt(seriesId)]);
  }
  for (const journey of config.journeys) {
    group(`setting up journey "${journey.name}"`);
    const { journeyId, rules } = journeyOf(journey);
    call("Rewards", rewardsAbi, "setJourney", [journeyId, rules]);
  }
  if (config.tiers.length > 0) {
    group(`setting tiers ${config.tiers.map((t) => `${t.name} (${t.threshold})`).join(", ")}`);
    call("Rewards", rewardsAbi, "setTiers", [config.tiers.map((t) => BigInt(t.threshold))]);
  }
  for (const perk of config.perks) {
    group(`setting up perk "${perk.name}"`);
    const { perkId, rules } = perkOf(perk, config.tiers);
    call("Rewards", rewardsAbi, "setPerk", [perkId, rules]);
  }
  return steps;
}
