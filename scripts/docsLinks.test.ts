import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(__dirname, "..");

/** The pages a reader follows links through: the landing page, docs/, the SDK's and the benchmarks' READMEs. */
function pages(): string[] {
  const inFolder = (folder: string) =>
    fs
      .readdirSync(path.join(root, folder))
      .filter((f) => f.endsWith(".md"))
      .map((f) => path.join(folder, f));
  return ["README.md", ...inFolder("docs"), "sdk/README.md", "bench/README.md", ...inFolder("bench/results")];
}

/** A page's text outside fenced code blocks and inline code, where a link is only text. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, "").replace(/`[^`\n]*`/g, "code");
}

/** The targets of a page's links and images, `[text](target)`, as written. */
function linkTargets(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, heading] of markdown.replace(/^```[\s\S]*?^```/gm, "").matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const slug = heading!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .trim()
      .replace(/\s/g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return result;
}

/** What is wrong with one link of `page`, or undefined if it leads somewhere that exists. */
function brokenLink(page: string, target: string): string | undefined {
  if (/^(https?:|mailto:)/.test(target)) return undefined;
  const [file, anchor] = target.split("#", 2) as [string, string | undefined];
  const resolved = file === "" ? path.join(root, page) : path.resolve(root, path.dirname(page), decodeURIComponent(file));
  if (path.relative(root, resolved).startsWith("..")) return `${target} leads outside the repository`;
  if (!fs.existsSync(resolved)) return `${target}: no such file`;
  if (anchor === undefined) return undefined;
  if (!resolved.endsWith(".md")) return `${target}: an anchor into a file that is not markdown`;
  if (!anchors(fs.readFileSync(resolved, "utf8")).has(anchor)) return `${target}: no heading #${anchor}`;
  return undefined;
}

describe("docs: every link leads somewhere", () => {
  it("the README is a landing page of at most 250 lines", () => {
    expect(fs.readFileSync(path.join(root, "README.md"), "utf8").split("\n").length).to.be.at.most(250);
  });

  it("every docs page is linked from the README", () => {
    const linked = new Set(linkTargets(fs.readFileSync(path.join(root, "README.md"), "utf8")).map((t) => t.split("#")[0]));
    const docs = fs.readdirSync(path.join(root, "docs")).filter((f) => f.endsWith(".md"));
    expect(docs.filter((f) => !linked.has(`docs/${f}`))).to.deep.equal([]);
  });

  it("every relative link of README.md, docs/, sdk/README.md and bench/ points at a file and heading that exist", () => {
    const broken = pages().flatMap((page) =>
      linkTargets(fs.readFileSync(path.join(root, page), "utf8"))
        .map((target) => brokenLink(page, target))
        .filter((problem): problem is string => problem !== undefined)
        .map((problem) => `${page}: ${problem}`),
    );
    expect(broken).to.deep.equal([]);
  });

  it("finds a broken link, a missing heading and a link out of the repository", () => {
    expect(brokenLink("README.md", "docs/nothing-here.md")).to.match(/no such file/);
    expect(brokenLink("README.md", "docs/contracts.md#no-such-heading")).to.match(/no heading/);
    expect(brokenLink("docs/contracts.md", "../../shared/STYLE.md")).to.match(/outside the repository/);
    expect(brokenLink("docs/operating.md", "#the-punchcard-command")).to.equal(undefined);
    expect(linkTargets("see `[a](b.md)` and\n```\n[c](d.md)\n```\n[e](f.md)")).to.deep.equal(["f.md"]);
  });
});
