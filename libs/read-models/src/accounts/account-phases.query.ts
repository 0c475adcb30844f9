import { Pool } from 'pg';
import { PhaseStayRow } from '@funnel/domain/account/phase-metrics';
import { RelationshipPhase } from '@funnel/domain/playbook/relationship-phase';

export interface AccountPhaseFilters {
  region?: string;
  industry?: string;
  keyAccount?: boolean;
}

// Each stay with how the next one was entered: that is how the transition out of it was made.
// Filters match the account's current attributes.
const STAYS = `
  SELECT s.account_id, s.phase, s.entered_at, s.exited_at, s.exited_to,
         (n.suggestion_id IS NOT NULL) AS via_suggestion, coalesce(n.overridden, false) AS overridden
    FROM rm.account_phase_stays s
    JOIN rm.accounts a ON a.account_id = s.account_id
    LEFT JOIN rm.account_phase_stays n ON n.account_id = s.account_id AND n.seq = s.seq + 1
   WHERE s.entered_at <= $1
     AND ($2::text IS NULL OR a.region = $2)
     AND ($3::text IS NULL OR a.industry = $3)
     AND ($4::boolean IS NULL OR a.key_account = $4)`;

/** The phase stays the account-phases metric reads (docs/metrics.md, `account-phases/1`). */
export class AccountPhasesQuery {
  constructor(private readonly pool: Pool) {}

  async stays(asOf: Date, filters: AccountPhaseFilters): Promise<PhaseStayRow[]> {
    const result = await this.pool.query<{
      account_id: string;
      phase: RelationshipPhase;
      entered_at: Date;
      exited_at: Date | null;
      exited_to: RelationshipPhase | null;
      via_suggestion: boolean;
      overridden: boolean;
    }>(STAYS, [asOf.toISOString(), filters.region ?? null, filters.industry ?? null, filters.keyAccount ?? null]);
    return result.rows.map((r) => ({
      accountId: r.account_id,
      phase: r.phase,
      enteredAt: r.entered_at,
      exitedAt: r.exited_at,
      exitedTo: r.exited_to,
      exitViaSuggestion: r.via_suggestion,
      exitOverridden: r.overridden,
    }));
  }
}
