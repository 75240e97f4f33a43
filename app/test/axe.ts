// axe-core run on a page of the wallet as it is now: what the browser tests (wallet, walk, passkey) check every page
// with. Its own test (axe.test.ts) shows it finds a violation on a page that has one.
import type { Page } from "playwright-core";

/** axe-core's impact levels, least to most severe. */
export type AxeImpact = "minor" | "moderate" | "serious" | "critical";

/**
 * axe-core's violations on the page as it is now, each as "<impact> <rule>: <elements>" (e.g.
 * "critical image-alt: img"), at every impact level or only at those named. axe-core is added to the page once.
 */
export async function axeViolations(page: Page, impacts?: readonly AxeImpact[]): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) {
    await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  }
  const violations = await page.evaluate(async () => {
    const result = await (
      window as unknown as {
        axe: { run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> };
      }
    ).axe.run();
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(" ")) }));
  });
  return violations
    .filter((v) => !impacts || (impacts as readonly string[]).includes(v.impact))
    .map((v) => `${v.impact} ${v.id}: ${v.targets.join(", ")}`);
}

/** axe-core's serious and critical violations on the page as it is now. */
export const seriousViolations = (page: Page): Promise<string[]> => axeViolations(page, ["serious", "critical"]);
