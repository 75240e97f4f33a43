import type { ProgramConfigInput } from "./programConfig.js";

/**
 * The example program (Northwind Coffee): what `punchcard demo` deploys when given no --config, and the
 * same config as programs/example.json in the repository (a test keeps the two equal).
 */
export const exampleProgramConfig = {
  brand: "Northwind Coffee",
  stamps: {
    name: "Northwind Stamps",
    symbol: "NWSTAMP",
    contractURI: "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/collection.json",
  },
  points: {
    name: "Northwind Beans",
    symbol: "BEANS",
    decimals: 0,
    transferable: true,
  },
  treasury: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
  royaltyBps: 500,
  transferPolicy: "market-only",
  giftsAllowed: false,
  roles: {
    adminDelaySeconds: 172800,
  },
  lifecycle: {
    noticePeriodSeconds: 7776000,
    maxPauseSeconds: 1209600,
  },
  series: [
    {
      name: "Autumn Cup",
      maxSupply: 500,
      soulbound: false,
      imageURI: "ipfs://bafybeihkoviema7g3gxyt6la7vd5ho32ictqbilu3wnlo3rs7ewhnp7lly/autumn-cup.png",
    },
    {
      name: "Five Visits Journey",
      maxSupply: 1000000,
      soulbound: true,
      imageURI: "ipfs://bafybeihkoviema7g3gxyt6la7vd5ho32ictqbilu3wnlo3rs7ewhnp7lly/five-visits.png",
    },
  ],
} as const satisfies ProgramConfigInput;
