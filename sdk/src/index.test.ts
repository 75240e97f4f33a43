import { expect } from "chai";
import path from "node:path";
import { build } from "esbuild";

const root = path.resolve(__dirname, "..", "..");

describe("sdk: browser bundle", () => {
  it("bundles for a browser with no Node built-in anywhere in what it loads", async () => {
    const result = await build({
      entryPoints: [path.join(root, "sdk/src/index.ts")],
      bundle: true,
      platform: "browser",
      format: "esm",
      minify: true,
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    expect(result.errors).to.deep.equal([]);
    const inputs = Object.keys(result.metafile.inputs);
    const nodeOnly = inputs.filter((file) => /^node:|^(fs|path|crypto|os|child_process)$/.test(file));
    expect(nodeOnly).to.deep.equal([]);
    // No bytecode either: deployProgram lives in "./deploy" (the package test checks the packed bundle).
    expect(result.outputFiles[0]!.contents.length).to.be.greaterThan(0);
  });

  it("fails loudly when code a browser loads imports a Node built-in", async () => {
    try {
      await build({
        stdin: { contents: 'import fs from "node:fs"; console.log(fs);', resolveDir: root },
        bundle: true,
        platform: "browser",
        write: false,
        logLevel: "silent",
      });
      expect.fail("esbuild should refuse node:fs for the browser");
    } catch (error) {
      expect(String(error)).to.match(/node:fs/);
    }
  });
});
