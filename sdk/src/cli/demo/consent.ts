/**
 * Chapter `consent`: members link their wallets with consent, purpose by purpose, through the brand's link store;
 * Cleo, a minor, is refused marketing until her guardian approves.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ContractRevertError, signConsentLink, signGuardianApproval } from "../../index.js";
import { LinkStore } from "../../node.js";
import type { DemoClient, DemoContext } from "./context.js";

export interface ConsentChapterReturnType {
  /** The brand's link store, open: the `consentChanges` chapter relays through it, then closes it. */
  store: LinkStore;
  /** The folder holding the store's file (`links.sqlite`). */
  storeDir: string;
  /** Whether the demo made the folder, and so removes it when the store is closed (not when the caller named it). */
  removeStoreDir: boolean;
}

/**
 * Links Ada, Ben, Dev and Eli with the purposes each grants, then Cleo as a minor with her guardian's approval.
 *
 * The store is kept in `linkStoreDir` when it is given (`npm run app` serves it to the program server afterwards),
 * else in a temporary folder removed at the end of the demo.
 *
 * @example
 * const { store, storeDir } = await consentChapter(context);
 */
export async function consentChapter(context: DemoContext, linkStoreDir?: string): Promise<ConsentChapterReturnType> {
  const { backend, ada, ben, cleo, dev, eli, guardian, names, program, step, say } = context;
  step("members link their wallets with consent, purpose by purpose (Cleo is a minor)");
  const storeDir = linkStoreDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-demo-"));
  const store = await LinkStore.open(path.join(storeDir, "links.sqlite"), { program, brand: backend });
  say(
    `the brand keeps customer id ↔ wallet ↔ salt in its own store (${path.join(storeDir, "links.sqlite")}); on-chain only a salted commitment`,
  );
  const plans: Array<[DemoClient, string, Array<"rewards" | "analytics" | "marketing" | "partnerSharing">]> = [
    [ada, "cust-0001", ["rewards", "analytics"]],
    [ben, "cust-0002", ["rewards", "analytics", "marketing"]],
    [dev, "cust-0004", ["rewards"]],
    [eli, "cust-0005", ["rewards", "analytics", "partnerSharing"]],
  ];
  for (const [member, customerId, purposes] of plans) {
    const { commitment } = await store.prepareLink({ customerId, wallet: member.account.address });
    const consent = await signConsentLink(member, { program, commitment, purposes });
    await store.link({ customerId, consent });
    say(
      `${names.get(member.account.address.toLowerCase())} signed consent for ${purposes.join(", ")}; the brand relayed it (member paid no gas)`,
    );
  }
  const minorLink = await store.prepareLink({ customerId: "cust-0003", wallet: cleo.account.address });
  const cleoConsent = await signConsentLink(cleo, {
    program,
    commitment: minorLink.commitment,
    purposes: ["rewards", "marketing"],
  });
  try {
    await store.link({ customerId: "cust-0003", consent: cleoConsent, minor: true, guardian: guardian.account.address });
    throw new Error("a minor's marketing consent was accepted without the guardian");
  } catch (error) {
    if (!(error instanceof ContractRevertError) || error.errorName !== "ConsentGuardianRequired") throw error;
    say(`Cleo (a minor) asked for marketing: refused without her guardian (${error.errorName})`);
  }
  const approval = await signGuardianApproval(guardian, { program, message: cleoConsent.message });
  await store.link({
    customerId: "cust-0003",
    consent: cleoConsent,
    minor: true,
    guardian: guardian.account.address,
    guardianSignature: approval,
  });
  say("her guardian approved: Cleo is linked for rewards and marketing");
  return { store, storeDir, removeStoreDir: linkStoreDir === undefined };
}
