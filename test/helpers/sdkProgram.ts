import { deployProgram } from "../../sdk/src";
import { testConfig, viemActors } from "./viem";

/** A program deployed through the SDK with testConfig: series 1 tradable (3 editions), series 2 soulbound. */
export async function sdkProgram() {
  const actors = await viemActors();
  const config = testConfig(actors.treasury.account.address, actors.backend.account.address);
  const { program } = await deployProgram(actors.brand, { config });
  return { ...actors, program };
}
