/**
 * The demo's deployment record: with `--rpc`, the demo's program outlives the demo on the node, so the demo writes
 * its record under `deployments/` exactly as `punchcard deploy` does, and the ledger commands (`ledger sync`, `sql`,
 * `kpis`, `dashboard`) read the demo's year of activity at once.
 */
import path from "node:path";
import type { Hex } from "viem";
import type { ProgramConfig } from "../../config/programConfig.js";
import { writeJsonAtomic } from "../../node/deployment/progressFile.js";
import type { Program } from "../../program.js";
import { deploymentRecordOf } from "../deploy.js";
import type { DemoClient } from "./context.js";

/** The name the demo's record goes under: `<dir>/<network>/demo.json`. */
export const DEMO_RECORD_NAME = "demo";

/** Where the demo writes its record: the folder of records (`deployments`) and the network's name (`localhost`). */
export interface DemoRecordOptions {
  dir: string;
  network: string;
}

/**
 * Writes the demo program's deployment record to `<dir>/<network>/demo.json` (atomically, replacing the record of
 * an earlier demo, whose program the new one supersedes) and returns its path.
 *
 * @example
 * const file = writeDemoRecord({ dir: "deployments", network: "localhost" }, { program, config, configHash, brand });
 */
export function writeDemoRecord(
  where: DemoRecordOptions,
  deployed: { program: Program; config: ProgramConfig; configHash: Hex; brand: DemoClient },
): string {
  const file = path.join(where.dir, where.network, `${DEMO_RECORD_NAME}.json`);
  const { program, config, configHash, brand } = deployed;
  writeJsonAtomic(
    file,
    deploymentRecordOf(program, {
      config,
      network: where.network,
      configHash,
      deployer: brand.account.address,
      nativeCurrency: brand.chain.nativeCurrency,
    }),
  );
  return file;
}
