import { expect } from "chai";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { PunchcardError } from "../errors.js";
import { walletClientFor } from "./clients.js";
import { caught } from "../../../test/helpers/sdkErrors.js";

describe("cli: the key a command signs with", () => {
  it("signs with PUNCHCARD_DEPLOYER_KEY, the name deploy and going-live use, before the older DEPLOYER_KEY", async () => {
    const [current, older] = [generatePrivateKey(), generatePrivateKey()];
    const both = await walletClientFor("hardhat", { env: { PUNCHCARD_DEPLOYER_KEY: current, DEPLOYER_KEY: older } });
    expect(both.account.address).to.equal(privateKeyToAccount(current).address);
    const olderOnly = await walletClientFor("hardhat", { env: { DEPLOYER_KEY: older } });
    expect(olderOnly.account.address).to.equal(privateKeyToAccount(older).address);
  });

  it("refuses a key that is not 32 bytes of hex, naming the variable", async () => {
    const error = await caught(walletClientFor("hardhat", { env: { PUNCHCARD_DEPLOYER_KEY: "0x1234" } }));
    expect(error).to.be.instanceOf(PunchcardError);
    expect((error as Error).message).to.equal("PUNCHCARD_DEPLOYER_KEY must be a 0x hex private key of 32 bytes.");
  });
});
