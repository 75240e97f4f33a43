import { keccak256, stringToHex, type Hash, type Hex } from "viem";
import { getChainId } from "viem/actions";
import { parseProgramConfig, type ProgramConfig, type ProgramConfigInput } from "../config/programConfig.js";
import type { Program, WriteClient } from "../program.js";
import { memoryJournal, runStep, type DeploymentJournal, type LandedStep } from "../internal/deploymentJournal.js";
import {
  configurationSteps,
  contractStep,
  PROGRAM_CONTRACTS,
  programKeyOf,
  type DeploymentStep,
} from "../internal/deploymentSteps.js";

export interface DeployProgramParameters {
  /** The program config (validated here; a bad field throws before anything is deployed). */
  config: ProgramConfigInput;
  /** Called once per group of steps actually sent, for progress output. */
  onStep?: (message: string) => void;
  /**
   * Where each step is recorded as it is sent and as it lands, and read back: a deployment cut off anywhere and run
   * again with the same journal skips what landed, finds what was sent, and sends only the rest (default: in memory).
   */
  journal?: DeploymentJournal;
  /** Blocks to wait for after each transaction (default 1). */
  confirmations?: number;
}

export interface DeployProgramReturnType {
  program: Program;
  /** The validated config with its defaults filled in. */
  config: ProgramConfig;
  /** keccak256 of the validated config's canonical JSON: tells whether a deployment matches a config. */
  configHash: Hex;
  transactions: Hash[];
  /** Every step in order, with its transaction and gas (including steps that landed before a resume). */
  steps: Array<{ step: DeploymentStep; landed: LandedStep }>;
}

/**
 * The hash that identifies a config: keccak256 of its validated form as canonical JSON (sorted keys), without its
 * `network` (where it is deployed is not what it is).
 *
 * @example
 * configHashOf(parseProgramConfig(json)) === record.configHash; // already deployed?
 */
export function configHashOf({ network: _where, ...config }: ProgramConfig): Hex {
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
 * royalty, policy, market fees, the initial series, journeys, tiers and perks. With a `journal` kept in a file, a
 * deployment cut off anywhere resumes where it stopped and sends no step twice.
 *
 * @example
 * const { program } = await deployProgram(brand, { config, onStep: console.log });
 */
export async function deployProgram(
  client: WriteClient,
  { config: input, onStep = () => {}, journal = memoryJournal(), confirmations = 1 }: DeployProgramParameters,
): Promise<DeployProgramReturnType> {
  const config = parseProgramConfig(input);
  const admin = client.account.address;
  const steps: DeployProgramReturnType["steps"] = [];
  const run = async (step: DeploymentStep) => {
    const before = journal.get(step.id);
    if (step.announce && before?.status !== "done") onStep(step.announce);
    const landed = await runStep(client, step, { journal, confirmations });
    steps.push({ step, landed });
    return landed;
  };

  const deployed: Partial<Program> = {};
  let deployBlock = 0n;
  for (const contract of PROGRAM_CONTRACTS) {
    const landed = await run(contractStep(config, admin, contract, deployed));
    deployed[programKeyOf[contract]] = landed.address;
    if (contract === "Stamps") deployBlock = BigInt(landed.block);
  }
  const program: Program = {
    chainId: await getChainId(client),
    deployBlock,
    stamps: deployed.stamps!,
    points: deployed.points!,
    market: deployed.market!,
    consent: deployed.consent!,
    rewards: deployed.rewards!,
  };
  for (const step of configurationSteps(config, admin, program)) await run(step);

  return { program, config, configHash: configHashOf(config), transactions: steps.map((s) => s.landed.hash), steps };
}
