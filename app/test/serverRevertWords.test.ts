// The program server's would_revert names the contract's error it met (issue #24): the wallet shows that error's
// sentence in the member's language, the one they read when they act with their own wallet, not the generic refusal.
import { ProgramServerError } from "@punchcard/sdk";
import { expect } from "chai";
import i18next from "i18next";
import { errorSentence } from "../src/errors";
import { failuresFa } from "../src/failures/failuresFa";
import { failuresTr } from "../src/failures/failuresTr";
import { loadFailureWords } from "../src/failures/failureWords";
import { fa } from "../src/i18n/fa";
import { tr } from "../src/i18n/tr";

const soldOut = () =>
  new ProgramServerError(422, "would_revert", "The UserOp would revert: Series 4 has minted all 1 editions.", {
    errorName: "StampsSeriesSoldOut",
    args: ["4", "1"],
  });

for (const [language, words, failures] of [
  ["fa", fa, failuresFa],
  ["tr", tr, failuresTr],
] as const) {
  describe(`errorSentence: the server's would_revert with the contract's error named (${language})`, () => {
    before(async () => {
      await i18next.init({
        lng: language,
        resources: { [language]: { translation: words } },
        interpolation: { escapeValue: false },
      });
      await loadFailureWords(language);
    });

    it("use: a sold-out voucher refused by the server reads as the series' sold-out sentence", () => {
      expect(errorSentence(soldOut())).to.equal(failures.reverts.StampsSeriesSoldOut);
    });

    it("abuse: a would_revert without a name, or naming an error the wallet has no words for, reads as the generic refusal", () => {
      const generic = words.errors.serverRefused.replace("{{reason}}", failures.refusals.would_revert);
      expect(errorSentence(new ProgramServerError(422, "would_revert", "The UserOp would revert."))).to.equal(generic);
      const unknown = new ProgramServerError(422, "would_revert", "The UserOp would revert.", {
        errorName: "SomeoneElsesError",
        args: [],
      });
      expect(errorSentence(unknown)).to.equal(generic);
      // A name on another code (not a revert) is not taken for the contract's: the code's own sentence stands.
      const quota = new ProgramServerError(429, "budget_exceeded", "Used up.", { errorName: "StampsSeriesSoldOut", args: [] });
      expect(errorSentence(quota)).to.equal(words.errors.serverRefused.replace("{{reason}}", failures.refusals.budget_exceeded));
    });
  });
}
