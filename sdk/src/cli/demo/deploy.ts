/**
 * Chapter `deploy`: the brand deploys the example program (programs/example.json, with the demo's treasury and
 * minter), and the demo shows the series, journeys, tiers and perks the deployment set up.
 */
import type { Hex } from "viem";
import { exampleProgramConfig } from "../../config/exampleProgram.js";
import { deployProgram } from "../../deploy.js";
import type { Program, ProgramConfig } from "../../index.js";
import type { DemoSeries, DemoSetup } from "./context.js";

export interface DeployChapterReturnType {
  program: Program;
  /** The config deployed (the example program with the demo's treasury and minter). */
  config: ProgramConfig;
  configHash: Hex;
  series: DemoSeries;
}

/**
 * Deploys the demo's program from the brand's account, its backend as the minter.
 *
 * @example
 * const { program, config, series } = await deployChapter(setup);
 */
export async function deployChapter(setup: DemoSetup): Promise<DeployChapterReturnType> {
  const { brand, backend, treasury, step, say } = setup;
  step("deploy the example program (programs/example.json)");
  const example = exampleProgramConfig;
  const { program, config, configHash } = await deployProgram(brand, {
    config: {
      ...example,
      treasury: treasury.account.address,
      roles: { ...example.roles, minter: backend.account.address },
    },
    onStep: say,
  });
  say(`Stamps ${program.stamps}, Points ${program.points} on chain ${program.chainId}`);

  step("the config's series, journeys, tiers and perks, set up by the deployment");
  const [cupSeries, journeySeries] = config.series;
  const cup = { seriesId: 1n };
  const journey = { seriesId: 2n };
  say(`series ${cup.seriesId}: "${cupSeries!.name}", ${cupSeries!.maxSupply} editions, tradable`);
  say(`series ${journey.seriesId}: "${journeySeries!.name}", soulbound`);
  for (const j of config.journeys) say(`journey "${j.id}": ${j.name}${j.referral ? " (a referral)" : ""}`);
  say(`tiers: ${config.tiers.map((t) => `${t.name} at ${t.threshold} status points`).join(", ")}`);
  for (const p of config.perks) say(`perk "${p.id}": ${p.description}`);
  return {
    program,
    config,
    configHash,
    series: { cup: { ...cup, name: cupSeries!.name }, journey: { ...journey, name: journeySeries!.name } },
  };
}
