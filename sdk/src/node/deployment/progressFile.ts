import fs from "node:fs";
import path from "node:path";
import type { Address, Hex } from "viem";
import type { DeploymentJournal, StepRecord } from "../../internal/deploymentJournal.js";
import { PunchcardError } from "../../errors.js";

/**
 * What `punchcard deploy` writes beside the deployment record while it deploys: which chain, which config (by its
 * hash), which deployer, and every step as it is sent and as it lands. `--resume` reads it back.
 */
export interface DeploymentProgress {
  version: 1;
  brand: string;
  network: string;
  chainId: number;
  configHash: Hex;
  deployer: Address;
  startedAt: string;
  steps: Record<string, StepRecord>;
}

/** The progress file of a deployment record: `deployments/<network>/<name>.progress.json`. */
export function progressPathOf(recordPath: string): string {
  return recordPath.replace(/\.json$/, "") + ".progress.json";
}

/**
 * Writes JSON so that a reader (or a process killed mid-write) sees the old file or the new one, never half of
 * one: a temporary file in the same folder, flushed to disk, then renamed over the old one.
 */
export function writeJsonAtomic(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temporary, "w");
  try {
    fs.writeSync(fd, `${JSON.stringify(value, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
}

/** Reads a progress file; undefined when there is none. */
export function readProgress(file: string): DeploymentProgress | undefined {
  if (!fs.existsSync(file)) return undefined;
  let progress: DeploymentProgress;
  try {
    progress = JSON.parse(fs.readFileSync(file, "utf8")) as DeploymentProgress;
  } catch (error) {
    throw new PunchcardError(`Progress file ${file} is not valid JSON: ${(error as Error).message}`, {
      hint: "Restore it from a backup, or start over with --force (contracts already deployed stay on the chain, unused).",
    });
  }
  if (progress.version !== 1 || typeof progress.steps !== "object" || typeof progress.configHash !== "string") {
    throw new PunchcardError(`Progress file ${file} is not a Punchcard deployment progress file.`, {
      hint: "Start over with --force, or remove the file.",
    });
  }
  return progress;
}

/** A journal kept in the progress file: every record is written to disk (atomically) before the deployment goes on. */
export function progressJournal(file: string, progress: DeploymentProgress): DeploymentJournal {
  return {
    get: (id) => progress.steps[id],
    set: (id, record) => {
      progress.steps[id] = record;
      writeJsonAtomic(file, progress);
    },
  };
}

/** How many steps of a progress file landed. */
export function landedSteps(progress: DeploymentProgress): number {
  return Object.values(progress.steps).filter((step) => step.status === "done").length;
}
