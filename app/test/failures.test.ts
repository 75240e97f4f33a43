// The wallet tells a contract's or the program server's refusal in the member's language (issue #24): every error a
// member action can meet has a sentence in English, Turkish and Persian, derived from the ABIs, and errorSentence
// uses it before the SDK's English sentence.
import { ContractRevertError, ProgramServerError } from "@punchcard/sdk";
import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import i18next from "i18next";
import { errorSentence } from "../src/errors";
import { MEMBER_REFUSAL_CODES, NOT_MET_BY_MEMBERS, type FailureWords } from "../src/failures/failureNames";
import { failuresEn } from "../src/failures/failuresEn";
import { failuresFa } from "../src/failures/failuresFa";
import { failuresTr } from "../src/failures/failuresTr";
import { loadFailureWords } from "../src/failures/failureWords";
import { en } from "../src/i18n/en";
import { fa } from "../src/i18n/fa";
import { PROGRAM_ERROR_NAMES } from "../../test/helpers/programAbis";
import { textProblems, type TextRules } from "./visibleText";

// Every contract a member action reaches is among the SDK's ABIs: the errors a member can meet are all of theirs but
// the brand's own (NOT_MET_BY_MEMBERS).
const notMembers = new Set<string>(NOT_MET_BY_MEMBERS);
const memberErrors = [...PROGRAM_ERROR_NAMES].filter((name) => !notMembers.has(name)).sort();

const LANGUAGES: Array<[string, FailureWords, TextRules]> = [
  ["en", failuresEn, { language: "en", units: ["point", "points"] }],
  ["tr", failuresTr, { language: "tr", units: ["puan"] }],
  ["fa", failuresFa, { language: "fa", units: ["امتیاز"] }],
];

/** The refusal codes the program server's source throws (ServerRefusal, the order book's evaluations). */
function serverRefusalCodes(): Set<string> {
  const root = path.join(__dirname, "..", "..", "sdk", "src", "server");
  const files = fs
    .readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
  const codes = new Set<string>();
  for (const file of files) {
    const source = fs.readFileSync(path.join(root, file), "utf8");
    for (const call of source.matchAll(/(?:ServerRefusal|BookRefusal|refuse)\(([^`;]*)/g)) {
      // A code is a snake_case literal before the sentence (a status of the book is one too: "stale", "expired").
      for (const literal of call[1]!.matchAll(/"([a-z]+(?:_[a-z]+)*)"/g)) codes.add(literal[1]!);
    }
  }
  return codes;
}

describe("app: a refusal in the member's language", () => {
  it("every error of the member contracts' ABIs, but those only the brand meets, is said in en, tr and fa", () => {
    expect(memberErrors.length).to.be.greaterThan(100);
    for (const [language, words] of LANGUAGES) {
      const missing = memberErrors.filter((name) => !(words.reverts as Record<string, string>)[name]?.trim());
      expect(missing, `${language}: errors with no sentence`).to.deep.equal([]);
      expect(Object.keys(words.reverts).sort(), `${language}: sentences of no member error`).to.deep.equal(memberErrors);
    }
  });

  it("abuse: the list of errors no member meets cannot hide a name the ABIs do not have", () => {
    expect(NOT_MET_BY_MEMBERS.filter((name) => !PROGRAM_ERROR_NAMES.has(name))).to.deep.equal([]);
  });

  it("every refusal code the program server throws at a member is said in en, tr and fa", () => {
    const brandOnly = new Set(["invalid_event", "unauthorized"]);
    const thrown = [...serverRefusalCodes()].filter((code) => !brandOnly.has(code));
    expect(thrown.length).to.be.greaterThan(30);
    const known = new Set<string>(MEMBER_REFUSAL_CODES);
    expect(
      thrown.filter((code) => !known.has(code)),
      "codes with no sentence",
    ).to.deep.equal([]);
    for (const [language, words] of LANGUAGES) {
      expect(Object.keys(words.refusals).sort(), language).to.deep.equal([...MEMBER_REFUSAL_CODES].sort());
    }
  });

  it("each sentence is plain: no hex, no code names, not the English one in another language", () => {
    for (const [language, words, rules] of LANGUAGES) {
      const sentences = [...Object.values(words.reverts), ...Object.values(words.refusals)];
      // One line per sentence: the checker reads line by line, and reads each language's dates once.
      expect(textProblems(sentences.join("\n"), rules), language).to.deep.equal([]);
      if (language !== "en")
        expect(
          sentences.filter((s) => /\b(the|your|this|nothing)\b/i.test(s)),
          language,
        ).to.deep.equal([]);
    }
  });

  describe("errorSentence, in Persian", () => {
    before(async () => {
      await i18next.init({ lng: "fa", resources: { fa: { translation: fa } }, interpolation: { escapeValue: false } });
      await loadFailureWords("fa");
    });

    it("tells a contract's revert in Persian, not the SDK's English sentence", () => {
      const expired = new ContractRevertError("MarketOrderExpired", [1_700_000_000n], undefined, () => "The order expired.");
      expect(errorSentence(expired)).to.equal(failuresFa.reverts.MarketOrderExpired);
      // viem's decoded revert, as a read with an ABI throws it, is told the same way.
      const decoded = {
        shortMessage: 'The contract function "balanceOf" reverted.',
        data: { errorName: "PointsFrozen", args: [0n] },
      };
      expect(errorSentence(decoded)).to.equal(failuresFa.reverts.PointsFrozen);
    });

    it("tells the program server's refusal by its code in Persian", () => {
      const refusal = new ProgramServerError(
        422,
        "would_revert",
        "The UserOp would revert: The order expired at 2026-12-07T00:00:00.000Z.",
      );
      expect(errorSentence(refusal)).to.equal(fa.errors.serverRefused.replace("{{reason}}", failuresFa.refusals.would_revert));
    });

    it("abuse: a raw revert the wallet cannot name shows no hex, in Persian", () => {
      const raw = { shortMessage: "Execution reverted with reason: custom error 0xdeadbeef.", details: "0xdeadbeef0000" };
      expect(errorSentence(raw)).to.equal(fa.plain.chainRefused);
    });

    it("only an error no member meets, or a code the wallet does not know, keeps the SDK's or server's English", () => {
      const brandOnly = new ContractRevertError(
        "MarketFeeTooHigh",
        [600n, 500n],
        undefined,
        () => "A market fee of 600 is above 500.",
      );
      expect(errorSentence(brandOnly)).to.equal("A market fee of 600 is above 500.");
      const unknown = new ProgramServerError(422, "new_rule", "A rule added after this wallet was built.");
      expect(errorSentence(unknown)).to.equal(
        fa.errors.serverRefused.replace("{{reason}}", "A rule added after this wallet was built."),
      );
    });

    it("says English when the member reads English", async () => {
      await i18next.addResourceBundle("en", "translation", en);
      await i18next.changeLanguage("en");
      await loadFailureWords("en");
      expect(errorSentence(new ContractRevertError("RewardsVoucherExpired", [1n, 2n]))).to.equal(
        failuresEn.reverts.RewardsVoucherExpired,
      );
      await i18next.changeLanguage("fa");
    });
  });
});
