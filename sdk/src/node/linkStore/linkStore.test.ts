import { expect } from "chai";
import fs from "node:fs";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { signTypedData } from "viem/actions";
import { stringToHex } from "viem";
import {
  acceptGuardianship,
  consentLinkTypes,
  memberDataSchema,
  rewardPoints,
  signComingOfAge,
  signGuardianChange,
  signGuardianWithdrawal,
  getConsentLink,
  hasConsent,
  InvalidArgumentError,
  purposesToMask,
  revokeAllConsent,
  signConsentChange,
  signConsentLink,
  signGuardianApproval,
  type Purpose,
} from "../../index.js";
import { sdkProgram } from "../../../../test/helpers/sdkProgram.js";
import { databaseEngines, freshDatabase } from "../../../../test/helpers/databases.js";
import { LinkStore, UnknownCustomerError, WalletNotLinkedError } from "./linkStore.js";
import { caught, expectRevert } from "../../../../test/helpers/sdkErrors.js";

const expectErrorThat = async (call: Promise<unknown>, check: (error: unknown) => void) => check(await caught(call));

type Fixture = Awaited<ReturnType<typeof sdkProgram>>;
type Member = Fixture["members"][number];

for (const engine of databaseEngines()) {
  describe(`sdk/node: LinkStore on ${engine}`, () => {
    let store: LinkStore;
    let f: Fixture;
    let location: string;

    beforeEach(async () => {
      f = await loadFixture(sdkProgram);
      location = await freshDatabase(engine);
      store = await LinkStore.open(location, { program: f.program, brand: f.backend });
    });
    afterEach(async () => store.close());

    async function linkMember(
      member: Member,
      customerId: string,
      purposes: Purpose[],
      options: { minor?: boolean; guardian?: Member } = {},
    ) {
      const { commitment } = await store.prepareLink({ customerId, wallet: member.account.address });
      const consent = await signConsentLink(member, { program: f.program, commitment, purposes });
      const guardianSignature = options.guardian
        ? await signGuardianApproval(options.guardian, { program: f.program, message: consent.message })
        : undefined;
      return store.link({
        customerId,
        consent,
        ...(options.minor ? { minor: true, guardian: options.guardian!.account.address } : {}),
        ...(guardianSignature ? { guardianSignature } : {}),
      });
    }

    it("links a wallet with the purposes the member signed, and answers hasConsent per purpose", async () => {
      const ada = f.members[0]!;
      const { purposes } = await linkMember(ada, "cust-0042", ["rewards", "analytics"]);
      expect(purposes).to.deep.equal(["rewards", "analytics"]);
      for (const [purpose, expected] of [
        ["rewards", true],
        ["analytics", true],
        ["marketing", false],
        ["partnerSharing", false],
      ] as const) {
        expect(await store.hasConsent({ customerId: "cust-0042", purpose })).to.equal(expected, purpose);
      }
      const data = await store.exportMemberData({ wallet: ada.account.address });
      expect(data.brand).to.deep.include({ customerId: "cust-0042", status: "linked" });
      expect(data.onChain?.purposes).to.deep.equal(["rewards", "analytics"]);
      expect(data.purposesHistory.map((h) => [h.kind, h.purposes])).to.deep.equal([
        ["consent.granted", ["rewards", "analytics"]],
      ]);
    });

    it("changes and revokes purposes on the member's signature; a replayed grant is refused", async () => {
      const ben = f.members[1]!;
      await linkMember(ben, "cust-0043", ["rewards", "analytics", "marketing"]);
      const narrower = await signConsentChange(ben, { program: f.program, purposes: ["rewards"] });
      await store.updatePurposes({ change: narrower });
      expect(await store.hasConsent({ wallet: ben.account.address, purpose: "analytics" })).to.equal(false);
      await expectRevert(store.updatePurposes({ change: narrower }), "ConsentInvalidNonce");

      await store.revoke({ change: await signConsentChange(ben, { program: f.program, purposes: [] }) });
      expect(await store.hasConsent({ wallet: ben.account.address, purpose: "rewards" })).to.equal(false);
      const history = (await store.exportMemberData({ customerId: "cust-0043" })).purposesHistory;
      expect(history.map((h) => h.kind)).to.deep.equal(["consent.granted", "consent.changed", "consent.revoked"]);
    });

    it("refuses a minor's marketing without the guardian, and accepts it with the guardian's approval", async () => {
      const [cleo, guardian] = [f.members[2]!, f.members[4]!];
      const { commitment } = await store.prepareLink({ customerId: "cust-minor-7", wallet: cleo.account.address });
      const consent = await signConsentLink(cleo, { program: f.program, commitment, purposes: ["rewards", "marketing"] });
      await expectRevert(
        store.link({ customerId: "cust-minor-7", consent, minor: true, guardian: guardian.account.address }),
        "ConsentGuardianRequired",
      );
      // Nothing changed: still pending, nothing on-chain.
      expect((await store.exportMemberData({ customerId: "cust-minor-7" })).brand.status).to.equal("pending");
      expect(await getConsentLink(cleo, { program: f.program, wallet: cleo.account.address })).to.equal(null);

      const guardianSignature = await signGuardianApproval(guardian, { program: f.program, message: consent.message });
      await store.link({
        customerId: "cust-minor-7",
        consent,
        minor: true,
        guardian: guardian.account.address,
        guardianSignature,
      });
      expect(await store.hasConsent({ customerId: "cust-minor-7", purpose: "marketing" })).to.equal(true);
      expect((await getConsentLink(cleo, { program: f.program, wallet: cleo.account.address }))?.minor).to.equal(true);
    });

    it("refuses an expired signature, one for another chain, and a third party's, changing nothing", async () => {
      const [dev, stranger] = [f.members[3]!, f.members[0]!];
      const { commitment } = await store.prepareLink({ customerId: "cust-0044", wallet: dev.account.address });
      const now = BigInt(await time.latest());
      const expired = await signConsentLink(dev, { program: f.program, commitment, purposes: ["rewards"], deadline: now - 1n });
      await expectRevert(store.link({ customerId: "cust-0044", consent: expired }), "ConsentExpired");

      const message = {
        wallet: dev.account.address,
        commitment,
        purposes: purposesToMask(["rewards"]),
        nonce: 0n,
        deadline: now + 3600n,
      };
      const domain = { name: "Punchcard Consent", version: "1", verifyingContract: f.program.consent };
      const otherChain = await signTypedData(dev, {
        account: dev.account,
        domain: { ...domain, chainId: 1 },
        types: consentLinkTypes,
        primaryType: "Link",
        message,
      });
      await expectRevert(
        store.link({ customerId: "cust-0044", consent: { message, signature: otherChain } }),
        "ConsentInvalidMemberSignature",
      );
      const byStranger = await signTypedData(stranger, {
        account: stranger.account,
        domain: { ...domain, chainId: 31337 },
        types: consentLinkTypes,
        primaryType: "Link",
        message,
      });
      await expectRevert(
        store.link({ customerId: "cust-0044", consent: { message, signature: byStranger } }),
        "ConsentInvalidMemberSignature",
      );

      expect((await store.exportMemberData({ customerId: "cust-0044" })).brand.status).to.equal("pending");
      expect(await getConsentLink(dev, { program: f.program, wallet: dev.account.address })).to.equal(null);
    });

    it("relays a guardian's withdrawal, changes a guardian and brings a minor of age; the export's history shows each", async () => {
      const [cleo, guardian, newGuardian] = [f.members[2]!, f.members[4]!, f.members[3]!];
      const wallet = cleo.account.address;
      await linkMember(cleo, "cust-minor-9", ["rewards", "marketing", "partnerSharing"], { minor: true, guardian });

      const withdrawal = await signGuardianWithdrawal(guardian, { program: f.program, wallet, purposes: ["marketing"] });
      await store.relayGuardianWithdrawal({ withdrawal });
      expect(await store.hasConsent({ customerId: "cust-minor-9", purpose: "marketing" })).to.equal(false);

      const change = await signGuardianChange(cleo, { program: f.program, newGuardian: newGuardian.account.address });
      const newGuardianSignature = await acceptGuardianship(newGuardian, { program: f.program, message: change.message });
      await store.changeGuardian({ change, newGuardianSignature });
      // Partner sharing, approved by the old guardian, no longer stands.
      expect(await store.hasConsent({ customerId: "cust-minor-9", purpose: "partnerSharing" })).to.equal(false);

      await store.comeOfAge({ request: await signComingOfAge(cleo, { program: f.program }) });
      await store.updatePurposes({
        change: await signConsentChange(cleo, { program: f.program, purposes: ["rewards", "marketing"] }),
      });
      expect(await store.hasConsent({ customerId: "cust-minor-9", purpose: "marketing" })).to.equal(true);

      const data = await store.exportMemberData({ customerId: "cust-minor-9" });
      expect(data.onChain).to.deep.include({ minor: false, guardian: null, purposes: ["rewards", "marketing"] });
      expect(data.linkHistory.map((h) => [h.kind, h.purposes])).to.deep.equal([
        ["consent.linked", null],
        ["consent.guardian.withdrew", ["marketing"]],
        ["consent.guardian.changed", null],
        ["consent.cameOfAge", null],
      ]);
      expect(data.linkHistory.map((h) => h.by?.toLowerCase())).to.deep.equal([
        f.backend.account.address.toLowerCase(),
        guardian.account.address.toLowerCase(),
        newGuardian.account.address.toLowerCase(),
        f.backend.account.address.toLowerCase(),
      ]);
      expect(data.purposesHistory.map((h) => h.purposes)).to.deep.equal([
        ["rewards", "marketing", "partnerSharing"],
        ["rewards", "partnerSharing"],
        ["rewards"],
        ["rewards", "marketing"],
      ]);
    });

    it("refuses to relay guardian actions for a wallet the store has not linked", async () => {
      const [cleo, guardian] = [f.members[2]!, f.members[4]!];
      const withdrawal = await signGuardianWithdrawal(guardian, {
        program: f.program,
        wallet: cleo.account.address,
        purposes: ["marketing"],
      });
      await expectErrorThat(store.relayGuardianWithdrawal({ withdrawal }), (e) =>
        expect(e).to.be.instanceOf(WalletNotLinkedError),
      );
      await expectErrorThat(store.comeOfAge({ request: await signComingOfAge(cleo, { program: f.program }) }), (e) =>
        expect(e).to.be.instanceOf(WalletNotLinkedError),
      );
    });

    it("exports one JSON document a member can read, with no salt and no other member's data", async () => {
      const [ada, ben] = [f.members[0]!, f.members[1]!];
      await linkMember(ada, "ada.lovelace@example.com", ["rewards", "analytics"]);
      await linkMember(ben, "ben.franklin@example.com", ["rewards"]);
      await rewardPoints(f.backend, {
        program: f.program,
        reason: "welcome",
        rewards: [
          { member: ada.account.address, amount: 10n },
          { member: ben.account.address, amount: 20n },
        ],
      });
      const rows = await store.db.selectFrom("member_links").selectAll().execute();
      const adaRow = rows.find((r) => r.customer_id.startsWith("ada"))!;
      const benRow = rows.find((r) => r.customer_id.startsWith("ben"))!;

      const data = await store.exportMemberData({ customerId: "ada.lovelace@example.com" });
      const json = JSON.stringify(data);
      // Plain JSON that the exported schema reads back as is.
      expect(memberDataSchema.parse(JSON.parse(json))).to.deep.equal(data);
      expect(data.format).to.equal("punchcard/member-data@1");
      expect(data.brand).to.deep.include({ customerId: "ada.lovelace@example.com", status: "linked" });
      expect(data.ledger.map((e) => [e.kind, e.role, e.amount])).to.deep.include(["points.rewarded", "actor", "10"]);
      // No salt, of this member or any other, and nothing of Ben's.
      const text = json.toLowerCase();
      expect(json).not.to.match(/salt/i);
      for (const secret of [adaRow.salt, benRow.salt, benRow.commitment, benRow.wallet, benRow.customer_id, "franklin"]) {
        expect(text).not.to.contain(secret.toLowerCase().replace(/^0x/, ""));
      }
      // A field the schema does not know (a salt, say) cannot slip into an export.
      expect(() => memberDataSchema.parse({ ...data, brand: { ...data.brand, salt: adaRow.salt } })).to.throw();
    });

    it("a member's direct revocation is what hasConsent answers next", async () => {
      const eli = f.members[4]!;
      await linkMember(eli, "cust-0045", ["rewards", "analytics"]);
      await revokeAllConsent(eli, { program: f.program });
      expect(await store.hasConsent({ customerId: "cust-0045", purpose: "rewards" })).to.equal(false);
      expect(await hasConsent(eli, { program: f.program, wallet: eli.account.address, purpose: "analytics" })).to.equal(false);
    });

    it("forgets a member: no row, salt or id left in the store, and the on-chain link is gone", async () => {
      const [ada, ben] = [f.members[0]!, f.members[1]!];
      await linkMember(ada, "ada.lovelace@example.com", ["rewards", "analytics"]);
      await linkMember(ben, "cust-0050", ["rewards"]);
      const { salt } = await store.db
        .selectFrom("member_links")
        .select("salt")
        .where("customer_id", "=", "ada.lovelace@example.com")
        .executeTakeFirstOrThrow();

      expect(await store.forget({ customerId: "ada.lovelace@example.com" })).to.deep.equal({ unlinkedOnChain: true });
      await expectErrorThat(store.exportMemberData({ customerId: "ada.lovelace@example.com" }), (e) =>
        expect(e).to.be.instanceOf(UnknownCustomerError),
      );
      await expectErrorThat(store.hasConsent({ wallet: ada.account.address, purpose: "rewards" }), (e) =>
        expect(e).to.be.instanceOf(WalletNotLinkedError),
      );
      expect(await getConsentLink(ada, { program: f.program, wallet: ada.account.address })).to.equal(null);
      const rows = await store.db.selectFrom("member_links").selectAll().execute();
      expect(rows.map((r) => r.customer_id)).to.deep.equal(["cust-0050"]);
      expect(JSON.stringify(rows)).not.to.contain(salt.slice(2)).and.not.to.contain("lovelace");
      if (engine === "sqlite") {
        // Not even in the file's free pages or the write-ahead log.
        await store.close();
        const bytes = Buffer.concat([location, `${location}-wal`].filter((p) => fs.existsSync(p)).map((p) => fs.readFileSync(p)));
        expect(bytes.includes(Buffer.from("lovelace"))).to.equal(false, "customer id left in the SQLite file");
        expect(bytes.includes(Buffer.from(salt.slice(2)))).to.equal(false, "salt left in the SQLite file");
        store = await LinkStore.open(location, { program: f.program, brand: f.backend });
      }
    });

    it("names bad input and changes nothing: unknown customer, unlinked wallet, unknown purpose, wrong wallet", async () => {
      const [ada, ben] = [f.members[0]!, f.members[1]!];
      await expectErrorThat(store.hasConsent({ customerId: "nobody", purpose: "rewards" }), (e) =>
        expect(e).to.be.instanceOf(UnknownCustomerError),
      );
      await expectErrorThat(store.forget({ wallet: ben.account.address }), (e) =>
        expect(e).to.be.instanceOf(WalletNotLinkedError),
      );
      await expectErrorThat(signConsentChange(ada, { program: f.program, purposes: ["newsletter" as Purpose] }), (e) => {
        expect(e).to.be.instanceOf(InvalidArgumentError);
        expect((e as Error).message).to.contain('"newsletter", which is not a purpose');
      });
      const { commitment } = await store.prepareLink({ customerId: "cust-0060", wallet: ada.account.address });
      const signedByBen = await signConsentLink(ben, { program: f.program, commitment, purposes: ["rewards"] });
      await expectErrorThat(store.link({ customerId: "cust-0060", consent: signedByBen }), (e) => {
        expect(e).to.be.instanceOf(InvalidArgumentError);
        expect((e as InvalidArgumentError).argument).to.equal("consent");
      });
      expect((await store.exportMemberData({ customerId: "cust-0060" })).brand.status).to.equal("pending");
    });

    it("gives analytics a customer id only for wallets whose analytics consent stands", async () => {
      const [ada, ben, cleo] = [f.members[0]!, f.members[1]!, f.members[2]!];
      await linkMember(ada, "cust-a", ["rewards", "analytics"]);
      await linkMember(ben, "cust-b", ["rewards"]);
      const wallets = [ada, ben, cleo].map((m) => m.account.address);
      expect([...(await store.analyticsIdentities(wallets))]).to.deep.equal([[ada.account.address.toLowerCase(), "cust-a"]]);
      await store.updatePurposes({ change: await signConsentChange(ada, { program: f.program, purposes: ["rewards"] }) });
      expect((await store.analyticsIdentities(wallets)).size).to.equal(0);
    });
  });
}

describe("sdk/node: no personal data on-chain", () => {
  it("after several members link with real-looking ids and emails, no calldata or log holds them", async () => {
    const f = await loadFixture(sdkProgram);
    const store = await LinkStore.open(await freshDatabase("sqlite"), { program: f.program, brand: f.backend });
    const people = [
      { id: "cust-0042", email: "ada.lovelace@example.com" },
      { id: "CRM-77831-DE", email: "Ben.Okafor@Example.org" },
      { id: "4400-1234-5678", email: "cleo+loyalty@example.net" },
    ];
    try {
      for (const [i, person] of people.entries()) {
        const member = f.members[i]!;
        // The brand's customer id here is the email itself for one member: the worst case.
        const customerId = i === 0 ? person.email : person.id;
        const { commitment } = await store.prepareLink({ customerId, wallet: member.account.address });
        const consent = await signConsentLink(member, { program: f.program, commitment, purposes: ["rewards", "analytics"] });
        await store.link({ customerId, consent });
      }
      await store.updatePurposes({
        change: await signConsentChange(f.members[1]!, { program: f.program, purposes: ["rewards"] }),
      });
      await store.forget({ customerId: people[2]!.id });

      const needles = new Set<string>();
      for (const text of people.flatMap((p) => [p.id, p.email])) {
        for (const variant of [text, text.toLowerCase(), text.toUpperCase()]) {
          needles.add(stringToHex(variant).slice(2)); // the raw bytes
          needles.add(stringToHex(stringToHex(variant)).slice(2)); // the bytes written out as hex text
        }
      }
      const head = await f.brand.getBlockNumber();
      let scanned = 0;
      for (let n = 0n; n <= head; n++) {
        const block = await f.brand.getBlock({ blockNumber: n, includeTransactions: true });
        for (const tx of block.transactions) {
          const receipt = await f.brand.getTransactionReceipt({ hash: tx.hash });
          const haystack = [tx.input, ...receipt.logs.flatMap((log) => [log.data, ...log.topics])].join("").toLowerCase();
          for (const needle of needles)
            expect(haystack.includes(needle.toLowerCase()), `found ${needle} in ${tx.hash}`).to.equal(false);
          scanned++;
        }
      }
      expect(scanned).to.be.greaterThan(10);
      // The scan can find things: the commitment of the first member is there.
      const first = (await store.exportMemberData({ customerId: people[0]!.email })).brand.commitment;
      const allInputs: string[] = [];
      for (let n = 0n; n <= head; n++) {
        const block = await f.brand.getBlock({ blockNumber: n, includeTransactions: true });
        allInputs.push(...block.transactions.map((t) => t.input));
      }
      expect(allInputs.join("").includes(first.slice(2))).to.equal(true);
    } finally {
      await store.close();
    }
  });
});
