import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { decodeAbiParameters, type Hex } from "viem";
import { deployFromConfig } from "../../cli/deploy.js";
import { walletClientFor } from "../../cli/clients.js";
import { consentRegistryAbi } from "../../generated/abis.js";
import { consentRegistryBytecode } from "../../generated/bytecode.js";
import type { VerificationMaterial } from "./verification.js";

// The npm solc package: the same WASM compiler (0.8.30) hardhat.config.ts compiles with.
const solc = require("solc") as { compile(input: string): string; version(): string };

interface Compiled {
  errors?: Array<{ severity: string; formattedMessage: string }>;
  contracts: Record<
    string,
    Record<
      string,
      {
        evm: {
          bytecode: { object: string };
          deployedBytecode: { object: string; immutableReferences: Record<string, Array<{ start: number; length: number }>> };
        };
      }
    >
  >;
}

describe("node: verification material of a deployment", () => {
  let outDir: string;
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);

  beforeEach(() => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-verify-"));
    lines.length = 0;
  });

  it("saves each contract's standard JSON input, compiler and constructor arguments; the input recompiles to the chain's code", async function () {
    this.timeout(600_000);
    const outcome = await deployFromConfig({ configPath: "programs/example.json", network: "hardhat", outDir, log, force: true });
    if (outcome.status !== "deployed") expect.fail(outcome.status);
    expect(outcome.verifyDir).to.equal(path.join(outDir, "hardhat", "example.verify"));
    expect(fs.readdirSync(outcome.verifyDir).sort()).to.deep.equal([
      "ConsentRegistry.json",
      "Market.json",
      "Points.json",
      "Rewards.json",
      "Stamps.json",
    ]);
    const read = (contract: string) =>
      JSON.parse(fs.readFileSync(path.join(outcome.verifyDir, `${contract}.json`), "utf8")) as VerificationMaterial;
    const material = read("ConsentRegistry");
    expect(material).to.deep.include({
      contract: "ConsentRegistry",
      chainId: 31337,
      address: outcome.record.contracts.consent,
      contractName: "contracts/ConsentRegistry.sol:ConsentRegistry",
      compilerVersion: `v${solc.version().replace(/\.Emscripten\.clang$/, "")}`,
    });
    expect(material.compilerVersion).to.match(/^v0\.8\.30\+commit\.[0-9a-f]{8}$/);
    // The constructor arguments are the ones deployed: the deployer as admin and the config's admin delay.
    const constructor = consentRegistryAbi.find((item) => item.type === "constructor")!;
    expect(decodeAbiParameters(constructor.inputs, material.constructorArguments)).to.deep.equal([
      outcome.record.deployer,
      172_800,
    ]);
    // Only the sources the contract is built from (no test contracts, no other program contract).
    expect(Object.keys(material.standardJsonInput.sources)).to.include("contracts/ConsentRegistry.sol");
    expect(Object.keys(material.standardJsonInput.sources)).not.to.include("contracts/Stamps.sol");
    expect(read("Stamps").constructorArguments).to.match(/^0x([0-9a-f]{64})+$/);

    // Recompiled with the npm solc package, the saved input gives the creation code the SDK deployed and the runtime
    // code on the chain, byte for byte, metadata hash included; only the immutables (filled in by the constructor,
    // e.g. the EIP-712 domain's cached address and chain id) are zero in the compiler's output, so those bytes are
    // taken from the chain's code before comparing.
    const compiled = JSON.parse(solc.compile(JSON.stringify(material.standardJsonInput))) as Compiled;
    expect((compiled.errors ?? []).filter((e) => e.severity === "error").map((e) => e.formattedMessage)).to.deep.equal([]);
    const { evm } = compiled.contracts["contracts/ConsentRegistry.sol"]!.ConsentRegistry!;
    expect(`0x${evm.bytecode.object}`).to.equal(consentRegistryBytecode);
    const client = await walletClientFor("hardhat");
    const onChain = (await client.getCode({ address: material.address })) as Hex;
    let expected = evm.deployedBytecode.object;
    const references = Object.values(evm.deployedBytecode.immutableReferences).flat();
    expect(references.length).to.be.greaterThan(0);
    for (const { start, length } of references) {
      const at = 2 + start * 2;
      expected = expected.slice(0, start * 2) + onChain.slice(at, at + length * 2) + expected.slice((start + length) * 2);
    }
    expect(onChain).to.equal(`0x${expected}`);
  });

  it("writes no material for a contract whose build info compiles to other bytecode than was deployed, and says why", async function () {
    this.timeout(300_000);
    const buildInfoDir = path.join(outDir, "build-info");
    fs.mkdirSync(buildInfoDir);
    for (const name of fs.readdirSync(path.join("artifacts", "build-info"))) {
      const info = JSON.parse(fs.readFileSync(path.join("artifacts", "build-info", name), "utf8"));
      const stamps = info.output.contracts["contracts/Stamps.sol"]?.Stamps;
      // A build of edited sources: the Stamps it describes is not the Stamps the SDK deploys.
      if (stamps) stamps.evm.bytecode.object = `${stamps.evm.bytecode.object.slice(0, -2)}00`;
      fs.writeFileSync(path.join(buildInfoDir, name), JSON.stringify(info));
    }
    const outcome = await deployFromConfig({
      configPath: "programs/example.json",
      network: "hardhat",
      outDir,
      log,
      force: true,
      buildInfoDir,
    });
    if (outcome.status !== "deployed") expect.fail(outcome.status);
    expect(fs.readdirSync(outcome.verifyDir)).not.to.include("Stamps.json");
    expect(fs.readdirSync(outcome.verifyDir)).to.include("Points.json");
    expect(lines).to.include(
      `No verification material for Stamps: the build info in ${buildInfoDir} compiles contracts/Stamps.sol to other bytecode than the SDK deployed (compile the SDK's contracts, or pass --build-info <dir>).`,
    );
  });
});
