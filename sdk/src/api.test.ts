import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

const sdk = path.resolve(__dirname, "..");
const SNAPSHOT = path.join(sdk, "api", "exports.txt");
const ENTRIES = {
  "@punchcard/sdk": "src/index.ts",
  "@punchcard/sdk/node": "src/node.ts",
  "@punchcard/sdk/deploy": "src/deploy.ts",
  "@punchcard/sdk/server": "src/server.ts",
};

/** Every export of each entry point, with whether it is a value or only a type, one per line. */
function publicApi(): string {
  const program = ts.createProgram(
    Object.values(ENTRIES).map((file) => path.join(sdk, file)),
    {
      strict: true,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      target: ts.ScriptTarget.ES2022,
      skipLibCheck: true,
      noEmit: true,
    },
  );
  const checker = program.getTypeChecker();
  const lines: string[] = [];
  for (const [entry, file] of Object.entries(ENTRIES)) {
    const source = program.getSourceFile(path.join(sdk, file))!;
    const symbols = checker.getExportsOfModule(checker.getSymbolAtLocation(source)!);
    lines.push(`# ${entry}`);
    for (const symbol of symbols.sort((a, b) => a.name.localeCompare(b.name))) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const f = target.flags;
      const kind =
        f & ts.SymbolFlags.Class
          ? "class"
          : f & ts.SymbolFlags.Function
            ? "function"
            : f & ts.SymbolFlags.Variable
              ? "const"
              : "type";
      lines.push(`${kind} ${symbol.name}`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

describe("sdk: public API", () => {
  it("matches the committed snapshot sdk/api/exports.txt (UPDATE_API_SNAPSHOT=1 to accept a change)", function () {
    this.timeout(60_000);
    const api = publicApi();
    if (process.env.UPDATE_API_SNAPSHOT === "1") fs.writeFileSync(SNAPSHOT, api);
    expect(api).to.equal(fs.readFileSync(SNAPSHOT, "utf8"));
  });

  it("gives every action its Parameters and ReturnType types, exported beside it and from the entry", () => {
    const exported = new Set(fs.readFileSync(SNAPSHOT, "utf8").split("\n"));
    const missing: string[] = [];
    for (const group of ["brand", "member", "read", "ledger"]) {
      for (const file of fs.readdirSync(path.join(sdk, "src", group))) {
        if (!file.endsWith(".ts") || file.endsWith(".test.ts") || file === "entries.ts") continue;
        const action = file.slice(0, -3);
        const Name = action[0]!.toUpperCase() + action.slice(1);
        for (const suffix of ["Parameters", "ReturnType"]) {
          if (!exported.has(`type ${Name}${suffix}`)) missing.push(`${group}/${action}: ${Name}${suffix}`);
        }
        if (!exported.has(`function ${action}`)) missing.push(`${group}/${action}: the function itself`);
      }
    }
    expect(missing).to.deep.equal([]);
  });

  it("keeps shared code shared: nothing but the brand's link store and campaigns imports member/ or brand/ from outside them", () => {
    // LinkStore is the brand's own consent workflow: composing the brand's actions (attest, submit, unlink)
    // is its job, and copying them would make two ways of doing each. A campaign is the brand's too: it signs the
    // brand's vouchers for a segment, with the one voucher signer there is.
    const allowed = new Set(["src/node/linkStore/linkStore.ts -> brand/", "src/node/ledger/campaign.ts -> brand/"]);
    const offenders: string[] = [];
    const walk = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    for (const dir of ["read", "ledger", "types", "utils", "config", "internal", "node"]) {
      for (const file of walk(path.join(sdk, "src", dir)).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))) {
        const text = fs.readFileSync(file, "utf8");
        for (const [, spec] of text.matchAll(/(?:from|import\()\s*"([^"]+)"/g)) {
          const group = /(?:^|\/)(member|brand)\//.exec(spec!)?.[1];
          const rule = `${path.relative(sdk, file)} -> ${group}/`;
          if (group && !allowed.has(rule)) offenders.push(`${path.relative(sdk, file)} imports ${spec}`);
        }
      }
    }
    expect(offenders).to.deep.equal([]);
  });

  it("names every relative import with its .js extension, so Node's ES module loader finds the built files", () => {
    const walk = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    const bare: string[] = [];
    for (const file of walk(path.join(sdk, "src")).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))) {
      for (const [, spec] of fs.readFileSync(file, "utf8").matchAll(/(?:from|import\()\s*"(\.{1,2}\/[^"]*)"/g)) {
        if (!spec!.endsWith(".js")) bare.push(`${path.relative(sdk, file)}: ${spec}`);
      }
    }
    expect(bare).to.deep.equal([]);
  });

  it("the lock file records the package's bin as sdk/package.json declares it (npm ci links bins from the lock)", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(sdk, "package.json"), "utf8")) as { bin: Record<string, string> };
    const lock = JSON.parse(fs.readFileSync(path.join(sdk, "..", "package-lock.json"), "utf8")) as {
      packages: Record<string, { bin?: Record<string, string> }>;
    };
    const strip = (bin: Record<string, string>) =>
      Object.fromEntries(Object.entries(bin).map(([k, v]) => [k, v.replace(/^\.\//, "")]));
    expect(lock.packages.sdk?.bin, "run npm install to refresh package-lock.json").to.deep.equal(strip(manifest.bin));
  });
});
