import { ForbiddenException, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { FunnelConfig } from '@funnel/runtime/funnel-config';
import { Actor, ALL_TEAMS } from './actor';

/** Who a deal belongs to, as far as access goes. */
export interface DealScope {
  owner: string;
  team: string;
}

/** What the actor wants with the deal: commands, a payment confirmation, or reading it. */
export type DealAccess = 'command' | 'payment' | 'read';

/**
 * The ownership half of the role matrix (README, "Who may do what"); the route's @Roles is the
 * other half. An actor passes when any of its roles grants the access:
 * - `rep`: deals they own (`rep.owns-deal`); with OWNERSHIP_POLICY=team also the deals of the
 *   teams in their token (`rep.team-deal`); opens deals only for themselves (`rep.opens-own-deal`);
 * - `manager`: deals of the teams in the token's `teams` claim, every deal with `["*"]` (`manager.team-scope`);
 * - `finance`: confirms payments on any deal and reads any deal (`finance.payments`);
 * - `auditor` and `analyst`: read any deal (`auditor.reads`, `analyst.reads`).
 * A refusal is a 403 that names the rules that could have let the actor in.
 */
@Injectable()
export class DealAccessPolicy {
  private readonly teamPolicy: boolean;

  constructor(config: ConfigService<FunnelConfig, true>) {
    this.teamPolicy = config.get('OWNERSHIP_POLICY', { infer: true }) === 'team';
  }

  /** Throws 403 unless the actor may do `access` on a deal of this scope. */
  assertMayAccess(actor: Actor, deal: DealScope, access: DealAccess): void {
    const has = (role: string) => (actor.roles as string[]).includes(role);
    if (has('manager') && this.inTeams(actor, deal.team)) return;
    if (has('rep') && (deal.owner === actor.id || (this.teamPolicy && this.inTeams(actor, deal.team)))) return;
    if (access !== 'command' && has('finance')) return;
    if (access === 'read' && (has('auditor') || has('analyst'))) return;
    throw refusal(this.rulesFor(actor, access), `${actor.id} may not ${access === 'read' ? 'read' : 'act on'} this deal (owner ${deal.owner}, team ${deal.team})`);
  }

  /** Throws 403 unless the actor may open a deal for this owner and team. */
  assertMayOpen(actor: Actor, deal: DealScope): void {
    const has = (role: string) => (actor.roles as string[]).includes(role);
    if (has('manager') && this.inTeams(actor, deal.team)) return;
    if (has('rep') && deal.owner === actor.id) return;
    const rules = [...(has('rep') ? ['rep.opens-own-deal'] : []), ...(has('manager') ? ['manager.team-scope'] : [])];
    throw refusal(rules, `${actor.id} may not open a deal for owner ${deal.owner} in team ${deal.team}`);
  }

  private inTeams(actor: Actor, team: string): boolean {
    return actor.teams.includes(ALL_TEAMS) || actor.teams.includes(team);
  }

  private rulesFor(actor: Actor, access: DealAccess): string[] {
    const rules: string[] = [];
    for (const role of actor.roles) {
      if (role === 'rep') rules.push(this.teamPolicy ? 'rep.owns-deal or rep.team-deal' : 'rep.owns-deal');
      if (role === 'manager') rules.push('manager.team-scope');
      if (role === 'finance') rules.push('finance.payments');
      if ((role === 'auditor' || role === 'analyst') && access === 'read') rules.push(`${role}.reads`);
    }
    return rules;
  }
}

function refusal(rules: string[], detail: string): ForbiddenException {
  const rule = rules.join(', ') || 'role';
  return new ForbiddenException({ statusCode: 403, code: 'FORBIDDEN', rule, message: `${detail} (rule ${rule})` });
}
