// The walk test's text checker must be able to fail: bad samples are each found, good ones pass.
import { expect } from "chai";
import { textProblems, type TextRules } from "./visibleText";

const EN: TextRules = { language: "en", units: ["BEANS", "ETH", "status points", "full days", "days", "stamps", "points"] };
const TR: TextRules = { language: "tr", units: ["BEANS", "statü puanı", "gün", "damga"] };
const FA: TextRules = { language: "fa", units: ["BEANS", "امتیاز وضعیت", "روز", "تمبر"] };

describe("visible text checker (the walk test's rules)", () => {
  it("finds hex: an address, a shortened address, a hash's run of hex digits", () => {
    expect(textProblems("Sent by 0x8626f6940E2eb28930eFb4CeF49B2d1F2C9C1199", EN)).to.have.length(1);
    expect(textProblems("Ada · 0x8626…1199", EN)[0]).to.match(/^hex "0x8626"/);
    expect(textProblems("Receipt 9f86d081884c7d65", EN)[0]).to.match(/^hex "9f86d081884c7d65"/);
  });

  it("finds code names: camelCase, dotted and snake_case", () => {
    expect(textProblems("must also approve partnerSharing", EN)).to.deep.equal([
      'code name "partnerSharing" in "must also approve partnerSharing"',
    ]);
    expect(textProblems("Recorded as orders.matched", EN)[0]).to.match(/^code name "orders\.matched"/);
    expect(textProblems("(signGuardianApproval)", EN)[0]).to.match(/^code name "signGuardianApproval"/);
    expect(textProblems("gold_lounge unlocked", EN)[0]).to.match(/^code name "gold_lounge"/);
    expect(textProblems("Start it from program.json.", EN)[0]).to.match(/^code name "program\.json\."/);
  });

  it("finds a date or a time with no time zone", () => {
    expect(textProblems("Sent at 12:30", EN)).to.deep.equal(['a date or time without a time zone: "12:30" in "Sent at 12:30"']);
    expect(textProblems("December 7, 2026", EN)[0]).to.match(/^a date or time without a time zone: "December 7, 2026"/);
    expect(textProblems("12/7/2026", EN)[0]).to.match(/^a date or time without a time zone/);
    expect(textProblems("16 Mart 2028 14:49", TR)).to.have.length(2);
    expect(textProblems("۲۶ اسفند ۱۴۰۶ ساعت ۱۴:۴۹", FA)).to.have.length(2);
  });

  it("finds an amount without a unit", () => {
    expect(textProblems("Points moved 95", EN)).to.deep.equal(['an amount without a unit: "95" in "Points moved 95"']);
    expect(textProblems("holds 275 but 380 are needed", EN)).to.have.length(2);
    expect(textProblems("Gas used 198926", EN)).to.have.length(1);
    expect(textProblems("Stamps (4)", EN)).to.have.length(1);
    expect(textProblems("امتیاز ۹۵", FA)).to.have.length(1);
  });

  it("passes plain words, amounts with units, editions, and dates and times with their zone", () => {
    const good = [
      "You paid 100 BEANS to Ada for Autumn Cup #6 of 500; 5 BEANS went to Northwind Coffee.",
      "+1,380 BEANS",
      "−0.25 ETH",
      "250 status points; 250 status points more for the next tier",
      "An offer lasts 7 days; you can cancel it before then.",
      "You hold 4 stamps.",
      "This program ends on March 16, 2028 at 14:49 UTC. Until then…",
      "December 7, 2026 at 08:15 AM GMT+1",
      "a purchase becomes spendable at 00:00 UTC once 3 full days have passed",
      "Your wallet was linked to your Northwind Coffee account; e.g. rewards.",
      "Every consent withdrawn on-chain.Your stamps stay yours.",
    ];
    for (const line of good) expect(textProblems(line, EN), line).to.deep.equal([]);
    expect(textProblems("16 Mart 2028 14:49 UTC · 4 damganız var · 250 statü puanı · #۶ / 500", TR)).to.deep.equal([]);
    expect(
      textProblems("۱۶ آذر ۱۴۰۵ ساعت ۱۴:۴۷ (UTC) · ۱۸:۱۷ (‎+۳:۳۰ گرینویچ) · ۱٬۳۸۰ BEANS · #۶ از ۵۰۰ · ۴ تمبر دارید", FA),
    ).to.deep.equal([]);
  });
});
