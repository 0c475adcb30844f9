/**
 * The sales history the browser test seeds through the public API, in business time relative to
 * DAY 0 = 100 days before today (00:00 UTC); every event happens at 09:00 UTC of its day, so an
 * as-of at a day's start sees that day's events not yet. Deals 1–3 … as below:
 *
 *   #   owner/team   region  industry       amount        path (day)
 *   d1  ann/north    EMEA    manufacturing  EUR 120 000   T0 → P4 → I10 ⇒ PR18 ⇒ A30 ⇒ N40 → WON50
 *   d2  ann/north    EMEA    retail         EUR  60 000   T2 → P8 → I15 ⇒ PR25 → lost 45
 *   d3  bob/north    EMEA    manufacturing  EUR 200 000   T5 → P12 → I20 ⇒ PR28 ⇒ A44 ⇒ N60 (open)
 *   d4  bob/north    EMEA    logistics      EUR  45 000   T8 → P14 (open, stalled)
 *   d5  cid/south    APAC    manufacturing  USD  90 000   T3 → P9 → I16 ⇒ PR22 ⇒ A35 ⇒ N47 → WON70
 *   d6  cid/south    APAC    retail         USD  30 000   T20 → P30 → I41 (open)
 *   d7  dee/south    APAC    manufacturing  USD 150 000   T25 → P33 → I40 ⇒ PR55 (open)
 *   d8  dee/south    APAC    retail         USD  75 000   T40 → lost 60
 *   d9  ann/north    EMEA    manufacturing  EUR  80 000   T60 → P70 (open)
 *   d10 eve/north    EMEA    retail         EUR  25 000   T90 (open)
 *   d11 bob/north    EMEA    manufacturing  EUR  95 000   T15 → P21 → I27 ⇒ PR36 ⇒ A48 ⇒ N58 → WON75
 *   d12 cid/south    APAC    logistics      USD  55 000   T50 → P57 → I66 ← P72 (regressed, open)
 *
 * → a gate met by recorded facts (visit with review and profile; problem and interest; contract,
 *   payment and shipment); ⇒ a manager's override with a written reason (later gates).
 */
export const DAYS_BACK = 100;

export type Step =
  | { kind: 'advance'; to: string; day: number }
  | { kind: 'override'; to: string; day: number }
  | { kind: 'lost'; day: number }
  | { kind: 'regress'; to: string; day: number };

export interface DealStory {
  key: string;
  owner: string;
  team: string;
  region: string;
  industry: string;
  currency: string;
  amount: number;
  account: string;
  openedDay: number;
  steps: Step[];
}

const forward = (to: string, day: number): Step => ({ kind: 'advance', to, day });
const override = (to: string, day: number): Step => ({ kind: 'override', to, day });

export const STORY: DealStory[] = [
  { key: 'd1', owner: 'ann', team: 'north', region: 'EMEA', industry: 'manufacturing', currency: 'EUR', amount: 120_000, account: 'Acme Tools', openedDay: 0,
    steps: [forward('POTENTIAL', 4), forward('INTENT', 10), override('PROJECT', 18), override('APPROVED', 30), override('NEGOTIATION', 40), forward('WON', 50)] },
  { key: 'd2', owner: 'ann', team: 'north', region: 'EMEA', industry: 'retail', currency: 'EUR', amount: 60_000, account: 'Borealis Foods', openedDay: 2,
    steps: [forward('POTENTIAL', 8), forward('INTENT', 15), override('PROJECT', 25), { kind: 'lost', day: 45 }] },
  { key: 'd3', owner: 'bob', team: 'north', region: 'EMEA', industry: 'manufacturing', currency: 'EUR', amount: 200_000, account: 'Cobalt Mining', openedDay: 5,
    steps: [forward('POTENTIAL', 12), forward('INTENT', 20), override('PROJECT', 28), override('APPROVED', 44), override('NEGOTIATION', 60)] },
  { key: 'd4', owner: 'bob', team: 'north', region: 'EMEA', industry: 'logistics', currency: 'EUR', amount: 45_000, account: 'Delta Freight', openedDay: 8,
    steps: [forward('POTENTIAL', 14)] },
  { key: 'd5', owner: 'cid', team: 'south', region: 'APAC', industry: 'manufacturing', currency: 'USD', amount: 90_000, account: 'Everest Plastics', openedDay: 3,
    steps: [forward('POTENTIAL', 9), forward('INTENT', 16), override('PROJECT', 22), override('APPROVED', 35), override('NEGOTIATION', 47), forward('WON', 70)] },
  { key: 'd6', owner: 'cid', team: 'south', region: 'APAC', industry: 'retail', currency: 'USD', amount: 30_000, account: 'Fuji Outlets', openedDay: 20,
    steps: [forward('POTENTIAL', 30), forward('INTENT', 41)] },
  { key: 'd7', owner: 'dee', team: 'south', region: 'APAC', industry: 'manufacturing', currency: 'USD', amount: 150_000, account: 'Ganges Castings', openedDay: 25,
    steps: [forward('POTENTIAL', 33), forward('INTENT', 40), override('PROJECT', 55)] },
  { key: 'd8', owner: 'dee', team: 'south', region: 'APAC', industry: 'retail', currency: 'USD', amount: 75_000, account: 'Harbour Mart', openedDay: 40,
    steps: [{ kind: 'lost', day: 60 }] },
  { key: 'd9', owner: 'ann', team: 'north', region: 'EMEA', industry: 'manufacturing', currency: 'EUR', amount: 80_000, account: 'Iberia Steel', openedDay: 60,
    steps: [forward('POTENTIAL', 70)] },
  { key: 'd10', owner: 'eve', team: 'north', region: 'EMEA', industry: 'retail', currency: 'EUR', amount: 25_000, account: 'Jutland Books', openedDay: 90, steps: [] },
  { key: 'd11', owner: 'bob', team: 'north', region: 'EMEA', industry: 'manufacturing', currency: 'EUR', amount: 95_000, account: 'Kiruna Ore', openedDay: 15,
    steps: [forward('POTENTIAL', 21), forward('INTENT', 27), override('PROJECT', 36), override('APPROVED', 48), override('NEGOTIATION', 58), forward('WON', 75)] },
  { key: 'd12', owner: 'cid', team: 'south', region: 'APAC', industry: 'logistics', currency: 'USD', amount: 55_000, account: 'Lanka Shipping', openedDay: 50,
    steps: [forward('POTENTIAL', 57), forward('INTENT', 66), { kind: 'regress', to: 'POTENTIAL', day: 72 }] },
];

/** The funnel now, counted by hand from the table above. */
export const FUNNEL_NOW = { TARGET: 1, POTENTIAL: 3, INTENT: 1, PROJECT: 1, APPROVED: 0, NEGOTIATION: 1, WON: 3, LOST: 2 };
/** As of day 30, 00:00 UTC (d1 enters APPROVED and d6 POTENTIAL at 09:00 that day). */
export const AS_OF_DAY = 30;
export const FUNNEL_AS_OF = { TARGET: 2, POTENTIAL: 1, INTENT: 1, PROJECT: 4, APPROVED: 0, NEGOTIATION: 0, WON: 0, LOST: 0 };
/** team=south now: d5 WON, d6 INTENT, d7 PROJECT, d8 LOST, d12 POTENTIAL. */
export const FUNNEL_SOUTH = { TARGET: 0, POTENTIAL: 1, INTENT: 1, PROJECT: 1, APPROVED: 0, NEGOTIATION: 0, WON: 1, LOST: 1 };
