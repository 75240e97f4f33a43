import type { z } from "zod";

// A program config's problems in the words of the person who wrote the file: where the problem is (the field's
// path from the top of the config), what is wrong with it, and for a key the schema does not have, the closest
// key it does have.

/** One problem of a config: the field (`config.points.decimals`, or `config` for the top level) and a sentence. */
export interface ConfigProblem {
  field: string;
  problem: string;
}

type Path = readonly PropertyKey[];

const fieldOf = (path: Path) => (path.length === 0 ? "config" : `config.${path.map(String).join(".")}`);

/** The keys the object schema at `path` accepts, walking through defaults, optionals and arrays; [] if none. */
export function keysAt(schema: z.ZodType, path: Path): string[] {
  let node: z.core.$ZodType | undefined = schema;
  const next = (type: z.core.$ZodType | undefined): z.core.$ZodType | undefined => {
    const def = type?._zod.def as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType } | undefined;
    if (def && ["default", "optional", "prefault", "nullable", "readonly", "catch"].includes(def.type))
      return next(def.innerType);
    if (def?.type === "pipe") return next(def.in);
    return type;
  };
  for (const part of path) {
    node = next(node);
    const def = node?._zod.def as { type: string; shape?: Record<string, z.core.$ZodType>; element?: z.core.$ZodType };
    if (def?.type === "object") node = def.shape?.[String(part)];
    else if (def?.type === "array") node = def.element;
    else return [];
  }
  const def = next(node)?._zod.def as { type: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === "object" ? Object.keys(def.shape ?? {}) : [];
}

/** Edit distance of two short strings (insertions, deletions, substitutions), case-insensitive. */
function distance(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const next = [i];
    for (let j = 1; j <= y.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    row = next;
  }
  return row[y.length]!;
}

/**
 * The valid key a mistyped one most likely meant: a key it begins or that begins with it ("royalty" for
 * "royaltyBps"), or one within a third of its length in edits ("decimal", "Symbol"); undefined when none is close.
 *
 * @example
 * closestKey("royalty", ["treasury", "royaltyBps"]); // "royaltyBps"
 */
export function closestKey(key: string, valid: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const prefixed = valid.find(
    (v) => lower.length >= 4 && (v.toLowerCase().startsWith(lower) || lower.startsWith(v.toLowerCase())),
  );
  if (prefixed) return prefixed;
  let best: { key: string; d: number } | undefined;
  for (const v of valid) {
    const d = distance(key, v);
    if (d <= Math.max(1, Math.floor(key.length / 3)) && (best === undefined || d < best.d)) best = { key: v, d };
  }
  return best?.key;
}

/** "10.01 %" for 1001 basis points. */
export const percentOfBps = (bps: unknown) => `${(Number(bps) / 100).toFixed(2).replace(/\.?0+$/, "")} %`;

/**
 * Each issue of a failed parse as a {@link ConfigProblem}: an unknown key names itself, where it is and the
 * closest valid key; any other issue keeps the schema's sentence.
 *
 * @example
 * const problems = configProblems(programConfigSchema, parsed.error.issues);
 */
export function configProblems(schema: z.ZodType, issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  return issues.map((issue) => {
    if (issue.code !== "unrecognized_keys") return { field: fieldOf(issue.path), problem: issue.message };
    const valid = keysAt(schema, issue.path);
    const where = issue.path.length === 0 ? " at its top level" : "";
    const sentences = issue.keys.map((key) => {
      const close = closestKey(key, valid);
      return close === undefined ? `"${key}"` : `"${key}" (did you mean "${close}"?)`;
    });
    const known = issue.keys.every((key) => closestKey(key, valid) !== undefined)
      ? ""
      : ` The keys there are: ${valid.join(", ")}.`;
    return {
      field: fieldOf(issue.path),
      problem: `has ${issue.keys.length === 1 ? "an unknown key" : "unknown keys"}${where}: ${sentences.join(", ")}.${known}`,
    };
  });
}
