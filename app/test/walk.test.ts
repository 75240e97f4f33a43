// The wallet walked as every demo member, in every language: one page load per member and language (the browser's
// language picks it), then Collection, Market, History, Privacy and a Transaction page by the wallet's own links. On
// each page the visible text outside "details" is read and checked (visibleText.ts: no hex, no code name, no date or
// time without its zone, no amount without its unit), and axe-core must find nothing at any impact level.
import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { createPublicClient, http, type Address, type Hash } from "viem";
import { programFromRecord, readLedger, type DeploymentRecord } from "@punchcard/sdk";
import { launchChromium } from "../../test/helpers/chromium";
import { en } from "../src/i18n/en";
import { fa } from "../src/i18n/fa";
import { tr } from "../src/i18n/tr";
import { axeViolations } from "./axe";
import { buildApp, ROOT, startApp, stopApp, type StartedApp } from "./startApp";
import { textProblems } from "./visibleText";

/**
 * `npm run app:screenshots` and `npm run app:screenshots:fa` (UPDATE_README_SCREENSHOTS=1) save this member's pages
 * in these languages (SCREENSHOT_LANGUAGES, default Persian) into docs/screenshots (fa-collection.png, …), shown in the
 * README beside the English ones.
 */
const SCREENSHOTS = process.env.UPDATE_README_SCREENSHOTS
  ? {
      member: "Ada",
      languages: (process.env.SCREENSHOT_LANGUAGES ?? "fa").split(","),
      dir: path.join(ROOT, "docs", "screenshots"),
    }
  : undefined;
const CATALOGS = { en, tr, fa } as const;
type Language = keyof typeof CATALOGS;

/** The test accounts that are the brand's own roles, not members: the wallet is not theirs to walk. */
const ROLES = new Set(["brand", "backend", "treasury", "exchange"]);

/** The words that may follow a number, per language: the catalogs' counting nouns, and the program's units. */
const COUNTING: Record<Language, string[]> = {
  en: ["status points", "full days", "days", "day", "stamps", "stamp", "events", "event", "offers", "offer", "points"],
  tr: ["statü puanı", "tam gün", "gün", "damga", "olay", "teklif", "puan"],
  fa: ["امتیاز وضعیت", "روز", "تمبر", "رویداد", "پیشنهاد", "امتیاز"],
};

/**
 * The words of the brand's own config, in the language it was written in (the demo's is English): a perk's
 * description ("A bag of beans for 100 points.") stands as the brand wrote it on every language's page.
 */
const CONFIG_WORDS = ["points"];

/** The page's visible text, outside "details" (a summary stays: it is what the member reads before opening it). */
async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const hidden = [...document.querySelectorAll("details")].flatMap((d) =>
      [...d.children].filter((c) => c.tagName !== "SUMMARY").map((c) => [c as HTMLElement, (c as HTMLElement).style.display]),
    ) as Array<[HTMLElement, string]>;
    for (const [element] of hidden) element.style.display = "none";
    const text = document.body.innerText;
    for (const [element, display] of hidden) element.style.display = display;
    return text;
  });
}

describe("walk: every page for every demo member in English, Turkish and Persian", function () {
  this.timeout(1_200_000);
  let app: StartedApp;
  let browser: Browser;
  let members: Array<{ name: string; address: Address }>;
  let units: NonNullable<DeploymentRecord["units"]>;
  /** A transaction of the program, for members whose own history is empty. */
  let anyTx: Hash;
  const started = Date.now();

  before(async () => {
    buildApp();
    app = await startApp();
    const config = (await (await fetch(`${app.appUrl}program.json`)).json()) as {
      record: DeploymentRecord;
      testAccounts: Array<{ name: string; address: Address }>;
    };
    units = config.record.units!;
    members = config.testAccounts.filter((a) => !ROLES.has(a.name));
    const chain = createPublicClient({ transport: http(app.rpcUrl) });
    const ledger = await readLedger(chain, { program: programFromRecord(config.record) });
    anyTx = ledger[ledger.length - 1]!.txHash;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await stopApp(app);
    console.log(`      (the walk took ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  });

  for (const language of Object.keys(CATALOGS) as Language[]) {
    it(`${language}: every member's Collection, Market, History, Privacy and a Transaction read as words, axe-clean`, async () => {
      const t = CATALOGS[language];
      const rules = { language, units: [units.pointsSymbol, units.nativeSymbol, ...COUNTING[language], ...CONFIG_WORDS] };
      const reading = [
        t.collection.reading,
        t.market.reading,
        t.market.readingBook,
        t.history.reading,
        t.tx.reading,
        t.privacy.reading,
      ];
      const problems: string[] = [];
      for (const member of members) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: language });
        const page = await context.newPage();
        await page.goto(app.appUrl);
        // Developer mode's account, as the Connect view labels it in this language.
        await page.getByRole("button", { name: t.plain.testAccount.replace("{{name}}", member.name) }).click();
        await page.getByRole("button", { name: t.app.disconnect }).waitFor();
        expect(await page.evaluate(() => document.documentElement.lang)).to.equal(language);
        /** Checks the page once it has read everything it reads (no "Reading…" left). */
        const check = async (where: string) => {
          await page.waitForFunction((texts) => !texts.some((x) => document.body.innerText.includes(x)), reading, {
            timeout: 60_000,
          });
          const text = await visibleText(page);
          for (const p of textProblems(text, rules)) problems.push(`${member.name}, ${where}: ${p}`);
          for (const v of await axeViolations(page)) problems.push(`${member.name}, ${where}: axe ${v}`);
          const shot = SCREENSHOTS?.member === member.name && SCREENSHOTS.languages.includes(language);
          if (shot && where !== "Transaction") {
            fs.mkdirSync(SCREENSHOTS!.dir, { recursive: true });
            const file = `${language}-${where.toLowerCase()}.png`;
            await page.screenshot({ path: path.join(SCREENSHOTS!.dir, file), fullPage: true });
          }
        };
        const open = async (link: string, heading: string) => {
          await page.getByRole("navigation").getByRole("link", { name: link, exact: true }).click();
          await page.getByRole("heading", { level: 1, name: heading }).waitFor();
        };
        await page.getByRole("heading", { level: 1, name: t.collection.title }).waitFor();
        await check("Collection");
        await open(t.app.market, t.market.title);
        await page.getByRole("heading", { level: 2, name: t.market.forSale }).waitFor({ timeout: 60_000 });
        await check("Market");
        await open(t.app.history, t.history.title);
        await check("History");
        // The transaction page: the member's newest, by its link under Details, else any of the program's.
        const rows = page.getByTestId("entry");
        if ((await rows.count()) > 0) {
          await rows.first().getByText(t.details, { exact: true }).click();
          await rows.first().locator("details a").click();
        } else {
          await page.evaluate((hash) => (location.hash = `#/tx/${hash}`), anyTx);
        }
        await page.getByRole("heading", { level: 1, name: t.tx.title }).waitFor();
        await page.getByText(t.tx.succeeded, { exact: true }).waitFor();
        await check("Transaction");
        await open(t.app.privacy, t.privacy.title);
        await page.getByRole("heading", { level: 2 }).first().waitFor();
        await check("Privacy");
        await context.close();
      }
      expect(problems, problems.join("\n")).to.deep.equal([]);
    });
  }
});
