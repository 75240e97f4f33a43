import { keccak256, stringToHex, type Abi, type Address, type Hash, type Hex } from "viem";
import { deployContract, getChainId, waitForTransactionReceipt } from "viem/actions";
import { consentRegistryAbi, marketAbi, pointsAbi, rewardsAbi, stampsAbi } from "../generated/abis.js";
import {
  consentRegistryBytecode,
  marketBytecode,
  pointsBytecode,
  rewardsBytecode,
  stampsBytecode,
} from "../generated/bytecode.js";
import { parseProgramConfig, type ProgramConfig, type ProgramConfigInput } from "../config/programConfig.js";
import { PunchcardError, toPunchcardError } from "../errors.js";
import { execute } from "../internal/execute.js";
import type { Program, WriteClient } from "../program.js";
import { transferPolicyValue } from "../types/transferPolicy.js";
import { pointsExpiryValue } from "../types/pointsExpiry.js";
import { ROLES } from "../constants.js";
import { journeyOf, perkOf } from "../utils/rewardsConfig.js";

export interface DeployProgramParameters {
  /** The program config (validated here; a bad field throws before anything is deployed). */
  config: ProgramConfigInput;
  /** Called once per step, for progress output. */
  onStep?: (message: string) => void;
}

export interface DeployProgramReturnType {
  program: Program;
  /** The validated config with its defaults filled in. */
  config: ProgramConfig;
  /** keccak256 of the validated config's canonical JSON: tells whether a deployment matches a config. */
  configHash: Hex;
  transactions: Hash[];
}

/**
 * The hash that identifies a config: keccak256 of its validated form as canonical JSON (sorted keys).
 *
 * @example
 * configHashOf(parseProgramConfig(json)) === record.configHash; // already deployed?
 */
export function configHashOf(config: ProgramConfig): Hex {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value !== null && typeof value === "object"
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
          )
        : value;
  return keccak256(stringToHex(JSON.stringify(canonical(config))));
}

/**
 * Deploys a whole program from its config: Stamps, Points, the Market, the consent registry and Rewards, wired together
 * (the Market an approved operator of both, so market-only stamps and non-transferable points still trade; Rewards a
 * minter of both), roles (the config's minter and pauser, the deployer as admin, the minter also the voucher issuer),
 * royalty, policy, market fees, the initial series, journeys, tiers and perks.
 *
 * @example
 * const { program } = await deployProgram(brand, { config, onStep: console.log });
 */
export async function deployProgram(
  client: WriteClient,
  { config: input, onStep = () => {} }: DeployProgramParameters,
): Promise<DeployProgramReturnType> {
  const config = parseProgramConfig(input);
  const admin = client.account.address;
  const minter = config.roles.minter ?? admin;
  const pauser = config.roles.pauser ?? admin;
  const delay = config.roles.adminDelaySeconds;
  const transactions: Hash[] = [];

  const deploy = async (name: string, abi: Abi, bytecode: Hex, args: readonly unknown[]) => {
    onStep(`deploying ${name}`);
    try {
      const hash = await deployContract(client, { abi, bytecode, args, account: client.account, chain: client.chain });
      const receipt = await waitForTransactionReceipt(client, { hash });
      if (receipt.status !== "success" || !receipt.contractAddress) {
        throw new PunchcardError(`Deploying ${name} failed in transaction ${hash}.`);
      }
      transactions.push(hash);
      return { address: receipt.contractAddress as Address, block: receipt.blockNumber };
    } catch (error) {
      throw toPunchcardError(error);
    }
  };

  const stamps = await deploy("Stamps", stampsAbi, stampsBytecode, [
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
  const points = await deploy("Points", pointsAbi, pointsBytecode, [
    config.points.name,
    config.points.symbol,
    config.points.decimals,
    config.points.transferable,
    admin,
    delay,
    // Points read the program's end date and pause bound from Stamps, so the two tokens agree on both.
    stamps.address,
    {
      pendingDays: config.points.pendingDays,
      expiry: pointsExpiryValue[config.points.expiry.model],
      expiryDays: config.points.expiry.days,
    },
  ]);
  const market = await deploy("Market", marketAbi, marketBytecode, [stamps.address, points.address, admin, delay]);
  const consent = await deploy("ConsentRegistry", consentRegistryAbi, consentRegistryBytecode, [admin, delay]);
  const rewards = await deploy("Rewards", rewardsAbi, rewardsBytecode, [
    stamps.address,
    points.address,
    consent.address,
    admin,
    delay,
  ]);
  const program: Program = {
    chainId: await getChainId(client),
    deployBlock: stamps.block,
    stamps: stamps.address,
    points: points.address,
    market: market.address,
    consent: consent.address,
    rewards: rewards.address,
  };
  const send = async (step: Parameters<typeof execute>[1]) => transactions.push((await execute(client, step)).hash);

  onStep(`granting minter role to ${minter} and pauser role to ${pauser}`);
  const minterRole = ROLES.minter;
  const pauserRole = ROLES.pauser;
  await send({ address: program.stamps, abi: stampsAbi, functionName: "grantRole", args: [minterRole, minter] });
  await send({ address: program.points, abi: pointsAbi, functionName: "grantRole", args: [minterRole, minter] });
  // The program has one pause, kept by Stamps: its pauser stops stamps, points or the Market (pause(scopes)).
  await send({ address: program.stamps, abi: stampsAbi, functionName: "grantRole", args: [pauserRole, pauser] });
  // The backend attests links (the customer account exists, minor or not) and erases them ("forget me").
  onStep(`granting the consent registry's brand role to ${minter}`);
  const brandRole = ROLES.brand;
  await send({ address: program.consent, abi: consentRegistryAbi, functionName: "grantRole", args: [brandRole, minter] });

  // Rewards mints what vouchers pay; the backend signs vouchers (and cancels them).
  onStep(`granting Rewards the minter role and the issuer role to ${minter}`);
  await send({ address: program.stamps, abi: stampsAbi, functionName: "grantRole", args: [minterRole, program.rewards] });
  await send({ address: program.points, abi: pointsAbi, functionName: "grantRole", args: [minterRole, program.rewards] });
  const issuerRole = ROLES.issuer;
  await send({ address: program.rewards, abi: rewardsAbi, functionName: "grantRole", args: [issuerRole, minter] });

  onStep("approving the Market as the operator of stamps and points");
  await send({ address: program.stamps, abi: stampsAbi, functionName: "setOperator", args: [program.market, true] });
  await send({ address: program.points, abi: pointsAbi, functionName: "setOperator", args: [program.market, true] });
  // A perk's points cost moves to Rewards before Rewards burns it, even while points are not transferable.
  await send({ address: program.points, abi: pointsAbi, functionName: "setOperator", args: [program.rewards, true] });
  if (config.market.feeBps > 0) {
    const recipient = config.market.feeRecipient ?? config.treasury;
    onStep(`setting a market fee of ${config.market.feeBps} bps to ${recipient}`);
    await send({
      address: program.market,
      abi: marketAbi,
      functionName: "setFee",
      args: [recipient, BigInt(config.market.feeBps)],
    });
  }
  for (const currency of config.market.allowedCurrencies) {
    onStep(`allowing ${currency} as a currency`);
    await send({ address: program.market, abi: marketAbi, functionName: "setCurrencyAllowed", args: [currency, true] });
  }
  if (config.market.swapFee > 0) {
    onStep(`setting a swap fee of ${config.market.swapFee} points`);
    await send({ address: program.market, abi: marketAbi, functionName: "setSwapFee", args: [BigInt(config.market.swapFee)] });
  }

  if (config.giftsAllowed) {
    onStep("allowing gifts between members");
    await send({ address: program.stamps, abi: stampsAbi, functionName: "setGiftsAllowed", args: [true] });
  }

  for (const series of config.series) {
    onStep(`creating series "${series.name}" (${series.maxSupply} editions${series.soulbound ? ", soulbound" : ""})`);
    await send({
      address: program.stamps,
      abi: stampsAbi,
      functionName: "createSeries",
      args: [series.name, BigInt(series.maxSupply), series.soulbound, series.imageURI, series.baseURI],
    });
  }
  // A perk that asks "holds a stamp of series X" needs X's holders counted from its first mint.
  for (const seriesId of new Set(config.perks.flatMap((perk) => perk.requires.seriesId ?? []))) {
    onStep(`counting the holders of series ${seriesId}`);
    await send({ address: program.stamps, abi: stampsAbi, functionName: "countHolders", args: [BigInt(seriesId)] });
  }
  for (const journey of config.journeys) {
    onStep(`setting up journey "${journey.name}"`);
    const { journeyId, rules } = journeyOf(journey);
    await send({ address: program.rewards, abi: rewardsAbi, functionName: "setJourney", args: [journeyId, rules] });
  }
  if (config.tiers.length > 0) {
    onStep(`setting tiers ${config.tiers.map((t) => `${t.name} (${t.threshold})`).join(", ")}`);
    const thresholds = config.tiers.map((t) => BigInt(t.threshold));
    await send({ address: program.rewards, abi: rewardsAbi, functionName: "setTiers", args: [thresholds] });
  }
  for (const perk of config.perks) {
    onStep(`setting up perk "${perk.name}"`);
    const { perkId, rules } = perkOf(perk, config.tiers);
    await send({ address: program.rewards, abi: rewardsAbi, functionName: "setPerk", args: [perkId, rules] });
  }

  return { program, config, configHash: configHashOf(config), transactions };
}
