import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordAnchor } from '@funnel/event-store/audit/anchor/anchor';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { parsePosition } from '@funnel/event-store/global-position';
import { ACTORS } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';
import { DealApi } from '../api/deals/deal-api.client';
import * as facts from '../api/deals/deal-facts';
import { feedShows } from './support/feed-shows';
import { asDatabaseOwner, forgeAndRehash } from './support/rewrite-store';

const VERIFIER = join(__dirname, '../../examples/verify-deal-proof.mjs');

/**
 * A deal's inclusion proof lets an auditor check one deal against a published anchor root with
 * nothing but the proof, the root and the 20-line stand-alone verifier in examples/.
 */
describe('GET /v1/deals/:id/proof?anchor=<root> and examples/verify-deal-proof.mjs', () => {
  let t: TestApp;
  let api: DealApi;
  let store: EventStore;
  let dir: string;
  const dealIds: string[] = [];
  let root: string;

  function verifyWithExample(proof: unknown): { status: number | null; stdout: string } {
    const file = join(dir, `proof-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(proof));
    const run = spawnSync(process.execPath, [VERIFIER, root, file], { encoding: 'utf8' });
    return { status: run.status, stdout: run.stdout };
  }
  const proofOf = (dealId: string, anchor = root) => api.get(`/v1/deals/${dealId}/proof?anchor=${anchor}`, ACTORS.auditor);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'funnel-proof-'));
    t = await startTestApp();
    api = new DealApi(t.url);
    store = t.app.get<EventStore>(EVENT_STORE);
    let position = '';
    for (let i = 0; i < 5; i++) {
      const opened = await api.open(ACTORS.rep);
      dealIds.push(opened.body.dealId as string);
      position = (await api.command(opened.body.dealId as string, 'profile', ACTORS.rep, facts.profile)).body.position as string;
    }
    await feedShows(store, parsePosition(position));
    root = (await recordAnchor(store, { id: 'aldo' })).root;
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("verifies every deal's proof with the stand-alone verifier", async () => {
    for (const dealId of dealIds) {
      const res = await proofOf(dealId);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        dealId,
        // Five deal streams, and the one account stream their shared account name opened.
        anchor: { root, count: 6 },
        leaf: { streamId: `deal-${dealId}`, revision: '1' },
        chainValid: true,
      });
      const run = verifyWithExample(res.body);
      expect(run.stdout).toContain(`VERIFIED: deal-${dealId} at revision 1`);
      expect(run.status).toBe(0);
    }
  });

  it('fails a tampered proof', async () => {
    const proof = (await proofOf(dealIds[0])).body;
    const flipped = { ...proof, path: proof.path.map((s: { side: string; hash: string }, i: number) => (i === 0 ? { ...s, hash: s.hash.replace(/^./, (c) => (c === '0' ? '1' : '0')) } : s)) };
    expect(verifyWithExample(flipped).status).toBe(1);
    expect(verifyWithExample({ ...proof, leaf: { ...proof.leaf, revision: '0' } }).status).toBe(1);
  });

  it("fails once the deal's stored history is edited, even re-hashed consistently", async () => {
    const dealId = dealIds[2];
    await asDatabaseOwner(t.db.url, (c) => forgeAndRehash(c, `deal-${dealId}`, 1, { ...facts.profile, characteristics: [], occurredAt: new Date().toISOString() }));
    expect((await api.get(`/v1/deals/${dealId}/integrity`, ACTORS.auditor)).body.valid).toBe(true); // the chain alone is fooled
    const res = await proofOf(dealId);
    expect(res.status).toBe(200);
    const run = verifyWithExample(res.body);
    expect(run.stdout).toContain('FAILED');
    expect(run.status).toBe(1);
    expect(verifyWithExample((await proofOf(dealIds[3])).body).status).toBe(0); // the others still verify
  });

  it('answers 404 for an unknown anchor or a deal it does not cover, 400 for a malformed root, 403 for a rep', async () => {
    const unknown = await proofOf(dealIds[0], 'f'.repeat(64));
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('ANCHOR_NOT_FOUND');
    const later = (await api.open(ACTORS.rep)).body.dealId as string;
    const notCovered = await proofOf(later);
    expect(notCovered.status).toBe(404);
    expect(notCovered.body.code).toBe('DEAL_NOT_ANCHORED');
    const malformed = await proofOf(dealIds[0], 'xyz');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([{ field: 'anchor', messages: ['anchor must be an anchor root: 64 hexadecimal digits'] }]);
    expect((await api.get(`/v1/deals/${dealIds[0]}/proof`, ACTORS.rep)).status).toBe(403);
    expect((await api.get(`/v1/deals/${dealIds[0]}/proof`, ACTORS.manager)).body.anchor.root).toBe(root); // newest anchor
  });
});
