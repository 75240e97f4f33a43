import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";

// The shape the code keeps (docs/architecture.md): every hand-written file readable in one sitting, and no two
// modules importing each other, directly or round a loop. Tests, fixtures and generated files are not counted.

const root = path.resolve(__dirname, "..");
const MAX_LINES = 500;
const SOURCE_DIRS = ["contracts", "sdk/src", "sdk/scripts", "sdk/bin", "app/src", "scripts", "bench"];
const SOURCE_EXTENSIONS = [".ts", ".tsx", ".mts", ".mjs", ".cjs", ".sol"];
const NOT_HAND_WRITTEN = [/\.test\.tsx?$/, /\/generated\//, /\/__fixtures__\//, /\/node_modules\//, /\/dist\//];
const SKIPPED_DIRS = new Set(["node_modules", "dist", "artifacts", "cache", "typechain-types", ".ponder", "generated"]);

function sourceFiles(dir: string): string[] {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs.readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : sourceFiles(relative);
    return SOURCE_EXTENSIONS.includes(path.extname(entry.name)) ? [relative] : [];
  });
}

const handWritten = () =>
  SOURCE_DIRS.flatMap(sourceFiles).filter((file) => !NOT_HAND_WRITTEN.some((pattern) => pattern.test(`/${file}`)));

const lineCount = (file: string) => fs.readFileSync(path.join(root, file), "utf8").split("\n").length - 1;

/** The relative imports of a TypeScript file (static, `export ... from`, dynamic), resolved to files of the tree. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), "utf8");
  const specifiers = [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+["'](\.[^"']+)["']/g),
    ...text.matchAll(/(?:^|\n)\s*import\s+["'](\.[^"']+)["']/g),
    ...text.matchAll(/\bimport\(\s*["'](\.[^"']+)["']\s*\)/g),
  ].map((match) => match[1]!);
  return specifiers.flatMap((specifier) => {
    const base = path.posix.join(path.posix.dirname(file), specifier).replace(/\.(m|c)?js$/, "");
    const candidates = [".ts", ".tsx", ".mts", "/index.ts", "/index.tsx", ""].map((suffix) => base + suffix);
    const found = candidates.find(
      (candidate) => fs.existsSync(path.join(root, candidate)) && fs.statSync(path.join(root, candidate)).isFile(),
    );
    return found === undefined ? [] : [found];
  });
}

/** Every import loop among the given files, each as the files round it (Tarjan's strongly connected components). */
function importCircles(files: string[]): string[][] {
  const graph = new Map(files.map((file) => [file, importsOf(file).filter((target) => files.includes(target))]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  let next = 0;
  const visit = (file: string) => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(file, Math.min(low.get(file)!, index.get(target)!));
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1 || (graph.get(file) ?? []).includes(file)) circles.push(component.sort());
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return circles;
}

describe("layout: files readable in one sitting, no import circles", () => {
  it(`no hand-written source file is over ${MAX_LINES} lines`, () => {
    const files = handWritten();
    expect(files.length, "source files found").to.be.greaterThan(100);
    const long = files.filter((file) => lineCount(file) > MAX_LINES).map((file) => `${file}: ${lineCount(file)} lines`);
    expect(long, "split these by responsibility").to.deep.equal([]);
  });

  it("no TypeScript module imports itself round a loop", () => {
    const files = handWritten().filter((file) => /\.(ts|tsx|mts)$/.test(file));
    expect(importCircles(files), "modules that import each other").to.deep.equal([]);
  });

  it("finds a circle when there is one (the check can fail)", () => {
    const dir = fs.mkdtempSync(path.join(root, "scripts", ".layout-"));
    try {
      const a = path.posix.join(path.relative(root, dir), "a.ts");
      const b = path.posix.join(path.relative(root, dir), "b.ts");
      fs.writeFileSync(path.join(root, a), 'import { b } from "./b.js";\nexport const a = () => b;\n');
      fs.writeFileSync(path.join(root, b), 'import type { a } from "./a";\nexport const b = 1 as unknown as typeof a;\n');
      expect(importCircles([a, b])).to.deep.equal([[a, b].sort()]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
