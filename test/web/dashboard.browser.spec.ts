/**
 * The dashboard in a real (headless) Chromium against the real app: a known history is seeded
 * through the API, and what the page's data tables say is checked against the API's answers and
 * against the numbers counted by hand in dashboard-history.ts.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { HistoryEvent } from '../api/deals/deal-api.client';
import { ACTORS, TestActor, bearer, tokenFor } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';
import { AS_OF_DAY, FUNNEL_AS_OF, FUNNEL_NOW, FUNNEL_SOUTH } from './dashboard-history';
import { Browser, findChromium, launchChromium } from './chromium';
import { SeededHistory, seedDashboardHistory } from './seed-dashboard-history';

/**
 * The few browser globals the page functions below touch: the project compiles without the DOM
 * library, and these functions run in the page, where `globalThis` is the window.
 */
interface PageWindow {
  document: { getElementById(id: string): { dataset: Record<string, string | undefined> } | null; documentElement: { lang: string } };
  location: { search: string };
  sessionStorage: { getItem(key: string): string | null };
}

interface FunnelAnswer {
  stages: { stage: string; deals: number }[];
}
interface DwellAnswer {
  stages: { stage: string; perStay: { median: number | null } }[];
}
interface PlaybookAnswer {
  stages: { key: string; labels: { en: string; zh: string } }[];
}

const chromiumPath = findChromium();
if (!chromiumPath) process.stdout.write('skipped: no Chromium (apt-get install -y chromium, or set CHROMIUM_PATH) — dashboard browser tests not run\n');
const describeWithChromium = chromiumPath ? describe : describe.skip;

const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');
/** An analyst who is also an auditor: every panel is theirs to see. */
const VIEWER: TestActor = { sub: 'dana', name: 'Dana Analyst', roles: ['analyst', 'auditor'] };
const STAGES = ['TARGET', 'POTENTIAL', 'INTENT', 'PROJECT', 'APPROVED', 'NEGOTIATION', 'WON', 'LOST'];

describeWithChromium('the dashboard in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let seeded: SeededHistory;
  const viewerToken = tokenFor(VIEWER);
  const problems: string[] = [];

  async function api<T>(path: string): Promise<T> {
    const response = await fetch(`${t.url}${path}`, { headers: { Authorization: bearer(VIEWER) } });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  }
  const dealsPerStage = async (path: string) =>
    Object.fromEntries((await api<FunnelAnswer>(path)).stages.map((s) => [s.stage, s.deals]));
  const potentialMedian = async (path: string) =>
    (await api<DwellAnswer>(path)).stages.find((s) => s.stage === 'POTENTIAL')?.perStay.median;

  /** `data-value` of one column of a panel's data table(s), by row key. */
  const tableColumn = (panel: string, column: string): Promise<Record<string, string | null>> =>
    page.$$eval(
      `#panel-${panel} .panel-tables tbody tr`,
      (rows, col) => Object.fromEntries(rows.map((row) => [row.getAttribute('data-key'), row.querySelector(`[data-col="${col}"]`)?.getAttribute('data-value') ?? null])),
      column,
    );
  const numbers = (values: Record<string, string | null>) =>
    Object.fromEntries(Object.entries(values).map(([key, value]) => [key, value === null ? null : Number(value)]));

  /** Waits until a panel has rendered the answer for the URL the page shows now. */
  const ready = (panel: string, urlPart = '') =>
    page.waitForFunction(
      ([id, part]) => {
        const w = globalThis as unknown as PageWindow;
        return w.document.getElementById(`panel-${id}`)?.dataset.state === 'ready' && decodeURIComponent(w.location.search).includes(part);
      },
      [panel, urlPart] as const,
    );
  const showTables = async (panel: string) => {
    const toggle = page.locator(`#panel-${panel} .table-toggle`);
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
  };
  const screenshot = async (name: string) => {
    await mkdir(ARTIFACTS, { recursive: true });
    await page.waitForTimeout(500); // the charts' entry animation
    await page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
  };

  /** With SCREENSHOT_README=1, the README's picture: the top of the page, tables folded. */
  const readmeScreenshot = async () => {
    if (!process.env.SCREENSHOT_README) return;
    await page.setViewportSize({ width: 1400, height: 1240 });
    await page.waitForTimeout(800); // the charts' entry animation
    await page.screenshot({ path: join(__dirname, '..', '..', 'docs', 'img', 'dashboard.png') });
    await page.setViewportSize({ width: 1400, height: 900 });
  };

  beforeAll(async () => {
    t = await startTestApp({ withProjector: true });
    seeded = await seedDashboardHistory(t.url);
    // Every panel reads projections: wait until they hold the whole story.
    await api(`/v1/analytics/reps?waitFor=${seeded.position}`);
    await api(`/v1/funnel?waitFor=${seeded.position}`);
    browser = await launchChromium(chromiumPath as string);
    page = await browser.context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${t.url}/#token=${viewerToken}`);
    for (const panel of ['funnel', 'funnel-as-of', 'dwell', 'performance', 'conversion', 'reps', 'anomalies', 'deal']) await ready(panel);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs in from the link and forgets the token in the address bar', async () => {
    expect(new URL(page.url()).hash).toBe('');
    expect(await page.evaluate(() => (globalThis as unknown as PageWindow).sessionStorage.getItem('funnel.token'))).toBe(viewerToken);
    expect(await page.locator('#who').textContent()).toContain('Dana Analyst');
  });

  it("shows every stage's deal count of the funnel now, as the API answers it", async () => {
    await readmeScreenshot();
    await showTables('funnel');
    const shown = numbers(await tableColumn('funnel', 'deals'));
    expect(Object.keys(shown)).toEqual(STAGES);
    expect(shown).toEqual(await dealsPerStage('/v1/funnel'));
    expect(shown).toEqual(FUNNEL_NOW);
  });

  it('shows the funnel as of a date picked on the calendar', async () => {
    const day = new Date(seeded.day0 + AS_OF_DAY * 86_400_000).toISOString().slice(0, 10);
    await page.locator('#panel-funnel-as-of input[name="asOf"]').fill(day);
    await ready('funnel-as-of', `asOf=${day}`);
    await showTables('funnel-as-of');
    const shown = numbers(await tableColumn('funnel-as-of', 'deals'));
    expect(shown).toEqual(await dealsPerStage(`/v1/funnel?asOf=${day}`));
    expect(shown).toEqual(FUNNEL_AS_OF);
  });

  it("shows a stage's median dwell time as the API answers it", async () => {
    await showTables('dwell');
    const shown = numbers(await tableColumn('dwell', 'median'));
    const median = await potentialMedian('/v1/analytics/dwell-times');
    expect(median).toEqual(expect.any(Number));
    expect(shown.POTENTIAL).toBe(median);
    await screenshot('dashboard-en.png');
  });

  it('applies a filter to every panel and keeps it in the URL', async () => {
    const before = numbers(await tableColumn('dwell', 'median'));
    await page.locator('#filters input[name="team"]').fill('south');
    await page.locator('#filters button[type="submit"]').click();
    for (const panel of ['funnel', 'funnel-as-of', 'dwell', 'conversion', 'reps', 'anomalies']) await ready(panel, 'team=south');
    expect(new URL(page.url()).searchParams.get('team')).toBe('south');

    const funnel = numbers(await tableColumn('funnel', 'deals'));
    expect(funnel).toEqual(await dealsPerStage('/v1/funnel?team=south'));
    expect(funnel).toEqual(FUNNEL_SOUTH);

    const dwell = numbers(await tableColumn('dwell', 'median'));
    const median = await potentialMedian('/v1/analytics/dwell-times?team=south');
    expect(median).toEqual(expect.any(Number));
    expect(dwell.POTENTIAL).toBe(median);
    expect(dwell).not.toEqual(before);

    // Reloading the shared URL shows the same view.
    await page.reload();
    await ready('funnel', 'team=south');
    await showTables('funnel');
    expect(numbers(await tableColumn('funnel', 'deals'))).toEqual(FUNNEL_SOUTH);
    expect(await page.locator('#filters input[name="team"]').inputValue()).toBe('south');
  });

  it('switches the labels to Chinese and back', async () => {
    const playbook = await api<PlaybookAnswer>('/v1/playbook');
    const label = (stage: string, lang: 'en' | 'zh') => playbook.stages.find((s) => s.key === stage)?.labels[lang];
    const firstStage = () => page.locator('#panel-funnel .panel-tables tbody tr[data-key="TARGET"] th').textContent();
    expect(await firstStage()).toBe(label('TARGET', 'en'));

    await page.locator('#lang-switch').click();
    await ready('funnel', 'lang=zh');
    expect(await page.locator('h1').textContent()).toBe('销售漏斗');
    expect(await page.locator('#panel-funnel-title').textContent()).toBe('当前漏斗');
    expect(await firstStage()).toBe(label('TARGET', 'zh'));
    expect(await page.evaluate(() => (globalThis as unknown as PageWindow).document.documentElement.lang)).toBe('zh-CN');
    await screenshot('dashboard-zh.png');

    await page.locator('#lang-switch').click();
    await page.waitForFunction(() => !(globalThis as unknown as PageWindow).location.search.includes('lang=zh'));
    expect(await page.locator('h1').textContent()).toBe('Sales funnel');
  });

  it("opens a deal from the anomalies and lists its timeline's events in order", async () => {
    const dealId = seeded.dealIds.d12;
    const link = page.locator(`#anomaly-list a[data-deal="${dealId}"]`).first();
    await link.click();
    await ready('deal', `deal=${dealId}`);

    // /history answers a page ({ events, page }); this small deal fits on the first one.
    const answer = await api<HistoryEvent[] | { events: HistoryEvent[] }>(`/v1/deals/${dealId}/history?limit=500`);
    const history = Array.isArray(answer) ? answer : answer.events;
    const rows = await page.$$eval('#deal-timeline tbody tr', (trs) =>
      trs.map((tr) => {
        const value = (col: string) => tr.querySelector(`[data-col="${col}"]`)?.getAttribute('data-value');
        return { revision: Number(value('revision')), type: value('type'), occurredAt: value('occurredAt'), correlationId: value('correlationId') };
      }),
    );
    expect(rows).toEqual(
      history.map((e) => ({
        revision: e.revision,
        type: e.type,
        occurredAt: e.occurredAt,
        correlationId: e.metadata.correlationId,
      })),
    );
    expect(rows.map((r) => r.type)).toEqual([
      'DealOpened',
      'VisitRecorded',
      'CustomerProfileRecorded',
      'StageAdvanced',
      'ProblemAnalyzed',
      'CustomerInterestRecorded',
      'StageAdvanced',
      'StageRegressed',
    ]);
    expect(await page.locator('#deal-integrity').getAttribute('data-valid')).toBe('true');
    expect(await page.locator('#deal-snapshot').getAttribute('data-stage')).toBe('POTENTIAL');
    await page.locator('#panel-deal').scrollIntoViewIfNeeded();
    await screenshot('dashboard-deal.png');
  });

  it('ran without a script error or a Content-Security-Policy refusal', () => {
    expect(problems).toEqual([]);
  });

  it("hides the panels a token's roles may not see", async () => {
    const repPage = await browser.context.newPage();
    try {
      await repPage.goto(`${t.url}/#token=${tokenFor(ACTORS.rep)}`);
      await repPage.waitForFunction(() => (globalThis as unknown as PageWindow).document.getElementById('panel-funnel')?.dataset.state === 'forbidden');
      expect(await repPage.locator('#panel-funnel').isHidden()).toBe(true);
      expect(await repPage.locator('#panel-dwell').isHidden()).toBe(true);
      expect(await repPage.locator('#panel-deal').isVisible()).toBe(true);
    } finally {
      await repPage.close();
    }
  });
});
