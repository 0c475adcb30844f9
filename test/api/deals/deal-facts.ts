/**
 * Request bodies that record exactly the facts each stage gate of the default playbook asks
 * for (see shared/spec/funnel-playbook.md, "Stage gates").
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** YYYY-MM-DD, `days` from today (UTC). */
export function dateIn(days: number): string {
  return new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
}

export const visitReview = {
  goalReached: true,
  wentWell: ['the plant manager joined'],
  wentBadly: [],
  learned: 'inventory accuracy is their main pain',
  improvementPlan: 'bring a finance person next time',
  commitments: ['send a reference case'],
  followUps: [{ action: 'send reference case', owner: 'alice', due: dateIn(7) }],
  thankYouSent: true,
};

export const visit = {
  visitId: 'visit-1',
  preparation: {
    date: new Date(Date.now() - DAY_MS).toISOString(),
    durationMinutes: 90,
    reconfirmedDayBefore: true,
    purpose: 'first meeting: understand operations',
    agenda: ['introductions', 'their operations', 'next steps'],
    customerAttendees: [{ name: 'Wang Lei', department: 'Operations', title: 'Plant manager', role: 'sponsor' }],
    ourAttendees: [{ name: 'Alice', role: 'account owner' }],
    materials: ['company brochure'],
  },
};

export const profile = {
  characteristics: [
    { characteristicId: 'POTENTIAL.MANAGEMENT_NEED', answer: 'YES' },
    { characteristicId: 'POTENTIAL.GOOD_ECONOMIC_PERFORMANCE', answer: 'YES' },
    { characteristicId: 'POTENTIAL.NO_SYSTEM_OR_POOR_RESULTS', answer: 'YES', comment: 'spreadsheets only' },
  ],
  organisationChart: {
    people: [
      { personId: 'p-ceo', name: 'Zhang Wei', title: 'CEO', department: 'Board' },
      { personId: 'p-ops', name: 'Wang Lei', title: 'Plant manager', department: 'Operations', reportsTo: 'p-ceo' },
    ],
  },
  accountOwner: 'alice',
};

export const problem = {
  currentState: 'stock counted by hand every month',
  difficulty: 'counts are wrong by 8%',
  impact: 'line stops for missing parts twice a month',
  benefit: 'no stops, 15% less inventory',
  dimension: 'APPLICATION',
  visibility: 'EXPLICIT',
};

export const interest = { interested: true, agreesToBuy: true, talkingToVendors: true };

/** Five criteria of a kind, the first `plus` of them `+`, the rest `-`. */
export function assessment(kind: 'REAL' | 'WORTH' | 'COMPETE' | 'WIN', plus = 5, competitors: string[] = []): object {
  const numbers = { REAL: [1, 2, 3, 4, 5], WORTH: [6, 7, 8, 9, 10], COMPETE: [1, 2, 3, 4, 5], WIN: [6, 7, 8, 9, 10] }[kind];
  return {
    kind,
    ...(competitors.length > 0 && { competitors }),
    criteria: numbers.map((n, i) => ({
      criterionId: `${kind}.${n}`,
      mark: i < plus ? '+' : '-',
      ...(competitors.length > 0 && { competitors: competitors.map((competitor) => ({ competitor, mark: '-' })) }),
    })),
    conclusion: `${kind}: ${plus} of 5`,
  };
}

export const projectInitiation = {
  customerProjectOwner: { name: 'Wang Lei', title: 'Plant manager', personId: 'p-ops' },
  preliminaryBudget: { amount: 150000, currency: 'EUR' },
  requirementsClear: true,
};

export const timetable = {
  milestones: [
    { milestoneId: 'PROJECT_TEAM_SET_UP', responsible: 'Wang Lei', date: dateIn(3) },
    { milestoneId: 'RFP_ISSUED', responsible: null, date: dateIn(20) },
  ],
};

export const economicBuyer = {
  personId: 'p-ceo',
  name: 'Zhang Wei',
  title: 'CEO',
  department: 'Board',
  roles: ['ECONOMIC_BUYER'],
};

export const coach = { personId: 'p-ops', name: 'Wang Lei', title: 'Plant manager', department: 'Operations', roles: ['COACH', 'USER'] };

export const preliminaryQuote = { kind: 'PRELIMINARY', amount: 118000, currency: 'EUR', validUntil: dateIn(60) };

export const forecast = { probability: 65, expectedCloseDate: dateIn(45) };

export const NEGOTIATION_CONDITIONS = [
  'EXECUTIVE_MET',
  'KEY_NEEDS_CLEAR',
  'QUOTE_EXPLAINED',
  'INTRODUCTION_AND_DEMOS_DONE',
  'MAJOR_RISKS_RESOLVED',
  'SELECTION_CONCLUSION_REPORTED',
  'CONTRACT_TEMPLATE_PROVIDED',
];

export const contract = { contractNumber: 'C-2026-001', amount: 115000, currency: 'EUR' };

export const payment = { amount: 34500, currency: 'EUR', reference: 'bank transfer 7781' };

export const shipment = { description: 'licences and on-site server' };
