import { ethers } from "hardhat";
import type { Address } from "viem";
import { approveMarket, configureMarket, mintStamps, rewardPoints, setMinRoyalty } from "@punchcard/sdk";
import { deployProgram } from "@punchcard/sdk/deploy";
import { testConfig, viemActors } from "./viem";

/** A program deployed through the SDK with testConfig: series 1 tradable (3 editions), series 2 soulbound. */
export async function sdkProgram() {
  const actors = await viemActors();
  const config = testConfig(actors.treasury.account.address, actors.backend.account.address);
  const { program } = await deployProgram(actors.brand, { config });
  return { ...actors, program };
}

const CUP = 1n;
const JOURNEY = 2n;
const cup = (edition: bigint) => CUP * 1_000_000_000n + edition;
/** Series of marketProgram: 1 tradable "Autumn Cup" (100), 2 soulbound "First Visit" (100). */
export const stampIds = { CUP, JOURNEY, cup };
/** The least royalty of a trade in Points in marketProgram, which a swap's taker pays. */
export const MIN_POINTS_ROYALTY = 5n;

/**
 * A market-only program (gifts off): Ada, Ben and Cleo hold Autumn Cups #1-#3, 1,000 points and 10,000 mUSD (an
 * allowed stablecoin), and have approved the Market; Ada also holds a soulbound First Visit. Every trade in Points,
 * and so every swap, pays the brand at least MIN_POINTS_ROYALTY.
 */

export async function marketProgram() {
  const actors = await viemActors();
  const config = {
    ...testConfig(actors.treasury.account.address, actors.backend.account.address),
    transferPolicy: "market-only" as const,
  };
  config.series = [
    { name: "Autumn Cup", maxSupply: 100, imageURI: "ipfs://cup.png" },
    { name: "First Visit", maxSupply: 100, soulbound: true },
  ];
  const { program } = await deployProgram(actors.brand, { config });
  const [ada, ben, cleo] = actors.members;
  const stablecoin = await ethers.deployContract("MockStablecoin");
  const usd = (await stablecoin.getAddress()) as Address;
  await configureMarket(actors.brand, { program, currencies: [{ currency: usd, allowed: true }] });
  await setMinRoyalty(actors.brand, { program, currency: program.points, minRoyalty: MIN_POINTS_ROYALTY });
  for (const m of [ada!, ben!, cleo!]) await stablecoin.mint(m.account.address, 10_000n);
  await mintStamps(actors.backend, {
    program,
    seriesId: CUP,
    to: [ada!.account.address, ben!.account.address, cleo!.account.address],
  });
  await mintStamps(actors.backend, { program, seriesId: JOURNEY, to: [ada!.account.address] });
  await rewardPoints(actors.backend, {
    program,
    reason: "welcome",
    rewards: [ada!, ben!, cleo!].map((m) => ({ member: m.account.address, amount: 1_000n })),
  });
  for (const m of [ada!, ben!, cleo!]) await approveMarket(m, { program });
  return { ...actors, program, usd, ada: ada!, ben: ben!, cleo: cleo! };
}
