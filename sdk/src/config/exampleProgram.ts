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
    pendingDays: 14,
    expiry: {
      model: "inactivity",
      days: 365,
    },
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
  journeys: [
    {
      id: "five-visits",
      name: "Five Visits",
      description: "Visit any Northwind shop five times in a month.",
      steps: ["Buy a drink in a Northwind shop, five times within 30 days"],
      reward: {
        seriesId: 2,
        stamps: 1,
        points: 50,
      },
      limitPerMember: 1,
    },
    {
      id: "refer-a-friend",
      name: "Refer a Friend",
      description: "A friend you referred joins and makes a first purchase.",
      steps: ["Share your referral link", "Your friend joins and buys a first drink"],
      reward: {
        points: 100,
      },
      limitPerMember: 10,
      referral: true,
    },
  ],
  tiers: [
    {
      name: "Silver",
      threshold: 100,
    },
    {
      name: "Gold",
      threshold: 500,
    },
  ],
  perks: [
    {
      id: "free-refill",
      name: "Free Refill",
      description: "A free refill each week, for Silver members who did Five Visits.",
      requires: {
        seriesId: 2,
        tier: "Silver",
      },
      claim: {
        periodSeconds: 604800,
      },
    },
    {
      id: "gold-lounge",
      name: "Gold Lounge",
      description: "Gold members skip the queue.",
      requires: {
        tier: "Gold",
      },
    },
    {
      id: "bean-bag",
      name: "Bag of Beans",
      description: "A bag of beans for 100 points.",
      requires: {
        points: 100,
      },
      claim: {
        points: 100,
      },
    },
    {
      id: "cup-for-a-cake",
      name: "A Cake for a Cup",
      description: "Trade one Autumn Cup stamp for a slice of cake: the stamp is burned.",
      claim: {
        stampOfSeries: 1,
      },
    },
  ],
} as const satisfies ProgramConfigInput;
