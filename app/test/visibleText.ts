// What a person reads on a wallet page must be words, names and amounts with units: this checks the visible text
// (outside "details") for what a member cannot read. It is pure (text in, problems out), so its own test shows it
// can fail; the walk test (walk.test.ts) feeds it every page of every demo member in every language.

/** What the checker needs to know of a language: its units and the words that may count things. */
export interface TextRules {
  /** The language's tag ("en", "tr", "fa"): month names come from Intl in it. */
  language: string;
  /**
   * Words that may follow a number as its unit: the program's ("BEANS", "ETH") and the language's counting nouns
   * ("days", "stamps"; in Turkish a noun with its suffixes, "damganız", counts as "damga").
   */
  units: readonly string[];
}

/**
 * Real words that look like code and may stand on a page: a brand's own spelling, an abbreviation with dots. Kept
 * short on purpose; each entry is a word a person writes, not a name from the code.
 */
export const ALLOWED_WORDS: readonly string[] = ["e.g.", "i.e."];

/** A digit as people of the three languages write it (Latin, Persian, Arabic-Indic). */
const DIGIT = "[0-9۰-۹٠-٩]";
/** A number with its grouping and decimal marks: "1,380", "۱٬۳۸۰", "12.5", "۱۲٫۵". */
const NUMBER = `${DIGIT}+(?:[,.٬٫]${DIGIT}+)*`;
/** A time zone as Intl writes it: "UTC", "GMT+1", "GMT-03:30", and Persian's "(‎+۳:۳۰ گرینویچ)". */
const ZONE = `(?:\\b(?:UTC|GMT)(?:[+−-]${DIGIT}{1,2}(?::${DIGIT}{2})?)?|\\(?\\u200e?(?:[+−-]${DIGIT}{1,2}(?::${DIGIT}{2})?\\s*)?گرینویچ\\)?)`;
/** How far after a date or a time its zone may be written ("March 16, 2028 at 14:49 UTC"). */
const ZONE_REACH = 48;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The month names of a language, in the forms Intl writes them in dates (long and short, alone and in a date). */
function monthNames(language: string): string[] {
  const names = new Set<string>();
  for (const month of ["long", "short"] as const) {
    for (let m = 0; m < 12; m++) {
      const date = new Date(Date.UTC(2026, m, 15));
      names.add(new Intl.DateTimeFormat(language, { month, timeZone: "UTC" }).format(date));
      const parts = new Intl.DateTimeFormat(language, { month, day: "numeric", timeZone: "UTC" }).formatToParts(date);
      for (const part of parts) if (part.type === "month") names.add(part.value);
    }
  }
  return [...names].filter((n) => /\p{L}{3,}/u.test(n)).sort((a, b) => b.length - a.length);
}

/** Replaces the spans a pattern finds with spaces, so later rules do not see them again; returns what it found. */
function take(line: string, pattern: RegExp): { rest: string; found: Array<{ text: string; index: number }> } {
  const found: Array<{ text: string; index: number }> = [];
  const rest = line.replace(pattern, (match: string, ...args: unknown[]) => {
    const index = args.find((a): a is number => typeof a === "number")!;
    found.push({ text: match, index });
    return " ".repeat(match.length);
  });
  return { rest, found };
}

/**
 * The problems of one page's visible text, one sentence each: a hex string (6+ hex digits, or anything written
 * 0x…), a code-style name (camelCase, dotted.name, snake_case), a date or a time with no time zone after it, and a
 * number that is neither an edition ("#6 of 500"), nor part of a date, nor followed by a unit.
 */
export function textProblems(text: string, rules: TextRules): string[] {
  const problems: string[] = [];
  const months = monthNames(rules.language).map(escape).join("|");
  const allowed = new Set(ALLOWED_WORDS);
  for (const rawLine of text.split("\n")) {
    let line = rawLine;
    // Hex: an address or a hash, whole or shortened ("0x8626…1199"), or a run of 6+ hex digits with letters and digits.
    for (const m of line.matchAll(/0x[0-9a-f]+|(?<![\p{L}\p{N}])[0-9a-f]{6,}(?![\p{L}\p{N}])/giu)) {
      if (m[0].startsWith("0x") || (/[0-9]/.test(m[0]) && /[a-f]/i.test(m[0]))) {
        problems.push(`hex "${m[0]}" in "${rawLine.trim()}"`);
        line = line.replace(m[0], " ".repeat(m[0].length));
      }
    }
    // Code names: partnerSharing, orders.matched, gold_lounge (a sentence's end and a decimal point are not).
    for (const m of line.matchAll(
      /(?<![\p{L}\p{N}])(?:[a-z]+[A-Z][A-Za-z0-9]*|[A-Za-z_]+(?:\.[A-Za-z_]+)+\.?|[a-z]+_[a-z_]+)/gu,
    )) {
      if (allowed.has(m[0]) || /^[A-Za-z]+\.$/.test(m[0])) continue;
      // "word.Word" is two sentences run together by the layout ("…chain.Your"), not a code name.
      if (/^[a-z]+\.[A-Z][a-z]+$/.test(m[0])) continue;
      problems.push(`code name "${m[0]}" in "${rawLine.trim()}"`);
    }
    // Zones first (their "+3:30" is not a time), then each date or time must have one just after it.
    const zones = take(line, new RegExp(ZONE, "gu"));
    line = zones.rest;
    const zoneAt = zones.found.map((z) => z.index);
    const moments = take(
      line,
      new RegExp(
        [
          `${DIGIT}{1,2}:${DIGIT}{2}(?:\\s?[AP]M)?`,
          `(?:${DIGIT}{1,2}\\s+)?(?<!\\p{L})(?:${months})(?!\\p{L})(?:\\s+${DIGIT}{1,4})?(?:,?\\s+${DIGIT}{4})?`,
          `${DIGIT}{1,4}[/.-]${DIGIT}{1,2}[/.-]${DIGIT}{1,4}`,
        ].join("|"),
        "gu",
      ),
    );
    for (const moment of moments.found) {
      // A month name alone is a word ("May I…"); it is a date when a number stands beside it.
      if (!new RegExp(DIGIT, "u").test(moment.text)) {
        continue;
      }
      const end = moment.index + moment.text.length;
      if (!zoneAt.some((z) => z >= end && z - end <= ZONE_REACH)) {
        problems.push(`a date or time without a time zone: "${moment.text.trim()}" in "${rawLine.trim()}"`);
      }
    }
    line = moments.rest;
    // Editions: "#6", "#6 of 500", "#۶ از ۵۰۰", "#6 / 500".
    line = take(line, new RegExp(`#\\s?${NUMBER}(?:\\s*(?:of|/|از)\\s*${NUMBER})?`, "gu")).rest;
    // What is left of the numbers must carry a unit right after it.
    const units = rules.units.map(escape).join("|");
    for (const m of line.matchAll(new RegExp(`[+−-]?${NUMBER}`, "gu"))) {
      const after = line.slice(m.index! + m[0].length);
      if (units && new RegExp(`^\\s+(?:${units})`, "u").test(after)) continue;
      problems.push(`an amount without a unit: "${m[0]}" in "${rawLine.trim()}"`);
    }
  }
  return problems;
}
