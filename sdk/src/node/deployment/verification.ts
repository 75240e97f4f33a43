import fs from "node:fs";
import path from "node:path";
import type { Address, Hash, Hex } from "viem";
import type { DeploymentStep, ProgramContractName } from "../../internal/deploymentSteps.js";
import type { LandedStep } from "../../internal/deploymentJournal.js";
import { writeJsonAtomic } from "./progressFile.js";

/**
 * What an explorer's verifier (Etherscan's "Standard JSON input" form, Sourcify, `hardhat verify`) needs to match a
 * deployed contract to its source: the compiler input holding exactly the sources the contract was built from, the
 * compiler version, and the ABI-encoded constructor arguments.
 */
export interface VerificationMaterial {
  contract: ProgramContractName;
  chainId: number;
  address: Address;
  transactionHash: Hash;
  /** The fully qualified name a verifier asks for, e.g. "contracts/Stamps.sol:Stamps". */
  contractName: string;
  /** As explorers write it, e.g. "v0.8.30+commit.73712a01". */
  compilerVersion: string;
  /** ABI-encoded, 0x-prefixed (explorers want it without the 0x). */
  constructorArguments: Hex;
  standardJsonInput: StandardJsonInput;
}

interface StandardJsonInput {
  language: string;
  sources: Record<string, { content: string }>;
  settings: Record<string, unknown> & { outputSelection: Record<string, Record<string, string[]>> };
}

interface BuildInfo {
  solcLongVersion: string;
  input: StandardJsonInput;
  output: { contracts: Record<string, Record<string, { metadata: string; evm: { bytecode: { object: string } } }>> };
}

/** The folder beside a deployment record that holds its verification material: `<name>.verify/`. */
export function verificationDirOf(recordPath: string): string {
  return recordPath.replace(/\.json$/, "") + ".verify";
}

/**
 * The verification material of every contract a deployment created, from Hardhat's build info (`artifacts/build-info`
 * of the project that compiled the SDK's bytecode). A contract is only given material whose compiled creation code is
 * byte for byte the one deployed: build info from other sources would match nothing on the explorer. Returns the
 * material found and, for each contract without, the reason.
 */
export function verificationMaterialOf(
  buildInfoDir: string,
  chainId: number,
  steps: ReadonlyArray<{ step: DeploymentStep; landed: LandedStep }>,
): { material: VerificationMaterial[]; missing: Array<{ contract: ProgramContractName; reason: string }> } {
  const buildInfos = readBuildInfos(buildInfoDir);
  const material: VerificationMaterial[] = [];
  const missing: Array<{ contract: ProgramContractName; reason: string }> = [];
  for (const { step, landed } of steps) {
    if (step.kind !== "deploy" || !landed.address || !landed.constructorArguments) continue;
    const file = `contracts/${step.contract}.sol`;
    const deployed = step.bytecode.slice(2).toLowerCase();
    const build = buildInfos.find((info) => info.output.contracts[file]?.[step.contract]?.evm.bytecode.object === deployed);
    if (!build) {
      missing.push({
        contract: step.contract,
        reason: buildInfos.some((info) => info.output.contracts[file]?.[step.contract])
          ? `the build info in ${buildInfoDir} compiles ${file} to other bytecode than the SDK deployed`
          : `no build info in ${buildInfoDir} holds ${file}`,
      });
      continue;
    }
    const compiled = build.output.contracts[file]![step.contract]!;
    // The contract's metadata lists exactly the sources it was compiled from; a compiler input with those alone
    // compiles to the same bytecode, metadata hash included (the metadata names only these sources).
    const used = Object.keys((JSON.parse(compiled.metadata) as { sources: Record<string, unknown> }).sources);
    material.push({
      contract: step.contract,
      chainId,
      address: landed.address,
      transactionHash: landed.hash,
      contractName: `${file}:${step.contract}`,
      compilerVersion: `v${build.solcLongVersion.replace(/\.Emscripten\.clang$/, "")}`,
      constructorArguments: landed.constructorArguments,
      standardJsonInput: {
        language: build.input.language,
        sources: Object.fromEntries(used.map((source) => [source, build.input.sources[source]!])),
        settings: {
          ...build.input.settings,
          outputSelection: { "*": { "*": ["abi", "evm.bytecode", "evm.deployedBytecode", "metadata"] } },
        },
      },
    });
  }
  return { material, missing };
}

/** Writes each contract's material to `<dir>/<Contract>.json` (atomically); returns the files written. */
export function writeVerificationMaterial(dir: string, material: readonly VerificationMaterial[]): string[] {
  return material.map((item) => {
    const file = path.join(dir, `${item.contract}.json`);
    writeJsonAtomic(file, item);
    return file;
  });
}

/** Build info files already read, by path, size and time: a file of several megabytes is parsed once per process. */
const parsed = new Map<string, { stamp: string; info: BuildInfo }>();

function readBuildInfos(dir: string): BuildInfo[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .map((name) => ({ file: path.join(dir, name), stat: fs.statSync(path.join(dir, name)) }))
    .sort((a, b) => b.stat.mtimeMs - a.stat.mtimeMs)
    .map(({ file, stat }) => {
      const stamp = `${stat.size}:${stat.mtimeMs}`;
      const known = parsed.get(file);
      if (known?.stamp === stamp) return known.info;
      const info = JSON.parse(fs.readFileSync(file, "utf8")) as BuildInfo;
      parsed.set(file, { stamp, info });
      return info;
    });
}
