/**
 * Records the story of dashboard-history.ts through the public HTTP API, as salespeople and
 * managers would: real facts where a gate is met, a manager's override with a reason where not.
 */
import { ACTORS, TestActor, bearer } from '../support/auth';
import * as facts from '../api/deals/deal-facts';
import { DAYS_BACK, DealStory, STORY, Step } from './dashboard-history';

const DAY_MS = 86_400_000;

export interface SeededHistory {
  /** 00:00 UTC of day 0 of the story. */
  day0: number;
  dealIds: Record<string, string>;
  /** Feed position of the last command, for `?waitFor=`. */
  position: string;
}

export async function seedDashboardHistory(baseUrl: string): Promise<SeededHistory> {
  const day0 = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`) - DAYS_BACK * DAY_MS;
  const at = (day: number, hour = 9) => new Date(day0 + day * DAY_MS + hour * 3_600_000).toISOString();
  let position = '';

  async function send(path: string, body: object, actor: TestActor = ACTORS.manager): Promise<{ dealId: string; position: string }> {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { Authorization: bearer(actor), 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as { dealId: string; position: string };
    if (response.status !== 201) throw new Error(`POST ${path} answered ${response.status}: ${JSON.stringify(answer)}`);
    position = answer.position;
    return answer;
  }

  async function step(dealId: string, deal: DealStory, s: Step): Promise<void> {
    const command = (name: string, body: object, actor?: TestActor) => send(`/v1/deals/${dealId}/${name}`, body, actor);
    switch (s.kind) {
      case 'advance':
        if (s.to === 'POTENTIAL') {
          const visitAt = at(s.day, 8);
          await command('visits', { ...facts.visit, preparation: { ...facts.visit.preparation, date: visitAt }, review: facts.visitReview, occurredAt: visitAt });
          await command('profile', { ...facts.profile, occurredAt: at(s.day, 8) });
        } else if (s.to === 'INTENT') {
          await command('problems', { ...facts.problem, occurredAt: at(s.day, 8) });
          await command('interest', { ...facts.interest, occurredAt: at(s.day, 8) });
        } else if (s.to === 'WON') {
          const money = { amount: deal.amount, currency: deal.currency };
          await command('contract', { contractNumber: `C-${deal.key}`, ...money, occurredAt: at(s.day, 7) });
          await command('payment', { ...money, reference: `transfer ${deal.key}`, occurredAt: at(s.day, 7) }, ACTORS.finance);
          await command('shipment', { description: 'licences', occurredAt: at(s.day, 8) });
        }
        await command('stage', { to: s.to, occurredAt: at(s.day) });
        return;
      case 'override':
        await command('stage', { to: s.to, override: { reason: `${deal.account}: the customer's board has committed` }, occurredAt: at(s.day) });
        return;
      case 'lost':
        await command('lost', { reason: 'budget moved to another project', occurredAt: at(s.day) });
        return;
      case 'regress':
        await command('stage', { to: s.to, reason: 'the sponsor left the company', occurredAt: at(s.day) });
        return;
      default: {
        const unknown: never = s;
        throw new Error(`unknown step ${JSON.stringify(unknown)}`);
      }
    }
  }

  const dealIds: Record<string, string> = {};
  for (const deal of STORY) {
    const opened = await send('/v1/deals', {
      account: { name: deal.account, industry: deal.industry, region: deal.region },
      owner: deal.owner,
      team: deal.team,
      amount: deal.amount,
      currency: deal.currency,
      occurredAt: at(deal.openedDay),
    });
    dealIds[deal.key] = opened.dealId;
    for (const s of deal.steps) await step(opened.dealId, deal, s);
  }
  return { day0, dealIds, position };
}
