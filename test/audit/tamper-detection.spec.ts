import { Client } from 'pg';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { auditCommand } from '../../apps/projector/src/cli/audit.command';
import { ACTORS } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';
import { DealApi } from '../api/deals/deal-api.client';
import * as facts from '../api/deals/deal-facts';

/**
 * Whoever owns the database can switch off the events table's refusal of UPDATE and DELETE.
 * Each such edit must still be named, by the deal's /integrity and by `npm run funnel -- audit`:
 * a moved recorded time (which `knownAt` replays by), an edited field, a deleted last event.
 */
describe('tampering is named by /integrity and by the store audit', () => {
  let t: TestApp;
  let api: DealApi;
  const deals: Record<'recordedTime' | 'field' | 'lastEvent' | 'untouched', string> = {} as never;

  async function asOwner(sql: string, params: unknown[]): Promise<void> {
    const client = new Client({ connectionString: t.db.url });
    await client.connect();
    try {
      await client.query('ALTER TABLE events DISABLE TRIGGER events_no_update_delete');
      const result = await client.query(sql, params);
      expect(result.rowCount).toBe(1);
      await client.query('ALTER TABLE events ENABLE TRIGGER events_no_update_delete');
    } finally {
      await client.end();
    }
  }

  async function audit(): Promise<{ code: number; lines: string[] }> {
    const lines: string[] = [];
    const code = await auditCommand({ store: t.app.get<EventStore>(EVENT_STORE), eventsDatabase: null, out: (l) => lines.push(l) });
    return { code, lines };
  }

  beforeAll(async () => {
    t = await startTestApp();
    api = new DealApi(t.url);
    for (const name of Object.keys({ recordedTime: 1, field: 1, lastEvent: 1, untouched: 1 }) as (keyof typeof deals)[]) {
      const opened = await api.open(ACTORS.rep);
      deals[name] = opened.body.dealId as string;
      expect((await api.command(deals[name], 'profile', ACTORS.rep, facts.profile)).status).toBe(201);
      expect((await api.command(deals[name], 'interest', ACTORS.rep, facts.interest)).status).toBe(201);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('finds the untouched store intact', async () => {
    const { code, lines } = await audit();
    expect(code).toBe(0);
    expect(lines).toContain('intact: every hash chain verifies and every stream ends where its head says');
    const integrity = await api.get(`/v1/deals/${deals.untouched}/integrity`, ACTORS.auditor);
    expect(integrity.body).toMatchObject({ valid: true, events: 3, breaks: [], storedHead: { revision: 2 } });
  });

  it('names a moved recorded time, an edited field and a deleted last event', async () => {
    await asOwner(`UPDATE events SET recorded_at = recorded_at - interval '1 day' WHERE stream_id = $1 AND stream_revision = 1`, [
      `deal-${deals.recordedTime}`,
    ]);
    await asOwner(`UPDATE events SET data = jsonb_set(data, '{characteristics,0,answer}', '"NO"') WHERE stream_id = $1 AND stream_revision = 1`, [
      `deal-${deals.field}`,
    ]);
    await asOwner(`DELETE FROM events WHERE stream_id = $1 AND stream_revision = 2`, [`deal-${deals.lastEvent}`]);

    const integrity = async (dealId: string) => (await api.get(`/v1/deals/${dealId}/integrity`, ACTORS.auditor)).body;
    expect(await integrity(deals.recordedTime)).toMatchObject({ valid: false, breaks: [{ revision: 1, reason: 'hash_mismatch' }] });
    expect(await integrity(deals.field)).toMatchObject({ valid: false, breaks: [{ revision: 1, reason: 'hash_mismatch' }] });
    expect(await integrity(deals.lastEvent)).toMatchObject({
      valid: false,
      events: 2,
      storedHead: { revision: 2 },
      breaks: [{ revision: 2, eventId: null, reason: 'head_mismatch' }],
    });
    expect((await integrity(deals.untouched)).valid).toBe(true);

    const { code, lines } = await audit();
    expect(code).toBe(3);
    expect(lines).toContain('TAMPERED: 3 break(s)');
    const named = lines.filter((l) => l.startsWith('  deal-'));
    expect(named).toHaveLength(3);
    expect(named).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^  deal-${deals.recordedTime} revision 1 \\(event [0-9a-f-]{36}\\): hash_mismatch$`)),
        expect.stringMatching(new RegExp(`^  deal-${deals.field} revision 1 \\(event [0-9a-f-]{36}\\): hash_mismatch$`)),
        `  deal-${deals.lastEvent} revision 2: head_mismatch`,
      ]),
    );
  });
});
