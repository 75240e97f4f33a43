import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { renderAbis } from "./generate-abis";

describe("scripts: generate-abis", () => {
  it("the SDK's committed ABIs and bytecode match the compiled contracts (run `npm run abis` if not)", () => {
    const { abis, errorAbi, bytecode } = renderAbis();
    const dir = path.resolve(__dirname, "..", "sdk", "src", "generated");
    expect(fs.readFileSync(path.join(dir, "abis.ts"), "utf8")).to.equal(abis);
    expect(fs.readFileSync(path.join(dir, "errorAbi.ts"), "utf8")).to.equal(errorAbi);
    expect(fs.readFileSync(path.join(dir, "bytecode.ts"), "utf8")).to.equal(bytecode);
    expect(abis).to.contain("export const stampsAbi = [").and.to.contain("] as const;");
  });
});
