import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { transformSync } from "esbuild";
import { marketProgram } from "../test/helpers/sdkProgram";
import * as sdk from "@punchcard/sdk";
import * as sdkNode from "@punchcard/sdk/node";
import * as sdkDeploy from "@punchcard/sdk/deploy";

const root = path.resolve(__dirname, "..");

/** The ```ts blocks of the "Use the SDK" section of the SDK's README (what npm shows), in order. */
function readmeExamples(): string[] {
  const readme = fs.readFileSync(path.join(root, "sdk", "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Use the SDK"), readme.indexOf("\n## ", readme.indexOf("## Use the SDK") + 1));
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

const modules: Record<string, unknown> = {
  "@punchcard/sdk": sdk,
  "@punchcard/sdk/node": sdkNode,
  "@punchcard/sdk/deploy": sdkDeploy,
};

/**
 * Runs one README example as written: TypeScript stripped by esbuild, its imports bound to the SDK's
 * modules, its free names (program, backend, ...) taken from `context`. Returns what it logged.
 */
async function runExample(code: string, context: Record<string, unknown>): Promise<string[]> {
  const js = transformSync(code, { loader: "ts", format: "esm" }).code.replace(
    /import\s*\{([^}]*)\}\s*from\s*"([^"]+)";?/g,
    (_all, names: string, from: string) => {
      if (!(from in modules)) throw new Error(`README imports ${from}, which the test does not know`);
      return `const {${names.replace(/\bas\b/g, ":")}} = __modules[${JSON.stringify(from)}];`;
    },
  );
  const logged: string[] = [];
  const consoleLike = { log: (...parts: unknown[]) => logged.push(parts.map(String).join(" ")) };
  const names = Object.keys(context);
  const run = new Function("__modules", "console", ...names, `return (async () => {\n${js}\n})();`) as (
    ...args: unknown[]
  ) => Promise<void>;
  await run(modules, consoleLike, ...names.map((n) => context[n]));
  return logged;
}

describe("sdk/README.md: the SDK examples run as written", () => {
  it("has the five examples: brand, member, consent, a minor's consent, analyst", () => {
    expect(readmeExamples().length).to.equal(5);
  });

  it("every example runs against the in-process chain and prints what its comments say", async () => {
    const f = await loadFixture(marketProgram);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-readme-"));
    const store = await sdkNode.LinkStore.open(path.join(dir, "links.sqlite"), { program: f.program, brand: f.backend });
    const context = {
      program: f.program,
      backend: f.backend,
      alice: f.members[3]!.account.address,
      bob: f.members[4]!.account.address,
      brandSecret: "a-secret-the-brand-keeps",
      member: f.ada,
      buyer: f.ben,
      store,
      client: f.brand,
      minor: f.cleo,
      guardian: f.members[3]!,
      newGuardian: f.members[4]!,
    };
    try {
      const [brand, member, consent, minorConsent, analyst] = readmeExamples();
      await runExample(brand!, context);
      expect((await sdk.getBalances(f.brand, { program: f.program, member: context.bob })).points).to.equal(500n);

      const memberLog = await runExample(member!, context);
      expect(memberLog).to.deep.equal(["Autumn Cup #1 of 100", "the brand earned 10 points of royalty"]);

      expect(await runExample(consent!, context)).to.deep.equal(["false"]);
      expect(await store.db.selectFrom("member_links").selectAll().execute()).to.deep.equal([]);

      expect(await runExample(minorConsent!, context)).to.deep.equal([
        "false",
        "false consent.linked, consent.guardian.withdrew, consent.guardian.changed, consent.cameOfAge",
      ]);

      const analystLog = await runExample(analyst!, context);
      expect(analystLog.at(-1)).to.match(/^\d+ points outstanding, \d+ members$/);
    } finally {
      await store.close();
    }
  });
});
