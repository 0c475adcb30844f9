/**
 * How the dashboard is served: the page at /, its modules under /web/, ECharts from npm, all
 * with the page's own strict Content-Security-Policy — also when a global helmet() runs before
 * or after it (as the hardening work adds one).
 */
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import helmet from 'helmet';
import request from 'supertest';
import { serveDashboardFiles } from '../../apps/api/src/web/serve-dashboard-files';
import { DASHBOARD_CSP } from '../../apps/api/src/web/web-files';
import { WebModule } from '../../apps/api/src/web/web.module';

type Setup = 'alone' | 'helmet before' | 'helmet after';

async function dashboardApp(setup: Setup): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [WebModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  if (setup === 'helmet before') app.use(helmet());
  serveDashboardFiles(app);
  if (setup === 'helmet after') app.use(helmet());
  await app.init();
  return app;
}

describe.each<Setup>(['alone', 'helmet before', 'helmet after'])('the dashboard files (%s)', (setup) => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await dashboardApp(setup);
  });
  afterAll(async () => {
    await app.close();
  });

  it('serves the page at / with a policy that allows nothing inline and nothing foreign', async () => {
    const res = await request(app.getHttpServer()).get('/').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<script type="module" src="/web/src/main.js">');
    expect(res.headers['content-security-policy']).toBe(DASHBOARD_CSP);
    expect(DASHBOARD_CSP).toContain("default-src 'none'");
    expect(DASHBOARD_CSP).toContain("script-src 'self'");
    expect(DASHBOARD_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves the modules and ECharts as JavaScript under the same policy', async () => {
    for (const path of ['/web/src/main.js', '/web/vendor/echarts/echarts.esm.min.mjs']) {
      const res = await request(app.getHttpServer()).get(path).expect(200);
      expect({ path, type: res.headers['content-type'] }).toEqual({ path, type: expect.stringMatching(/^text\/javascript/) });
      expect(res.headers['content-security-policy']).toBe(DASHBOARD_CSP);
    }
    const css = await request(app.getHttpServer()).get('/web/styles.css').expect(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
  });

  it('answers 404 for what is not there, and nothing above apps/web', async () => {
    await request(app.getHttpServer()).get('/web/nothing-here.js').expect(404);
    await request(app.getHttpServer()).get('/web/../package.json').expect(404);
    await request(app.getHttpServer()).get('/web/%2e%2e/package.json').expect(404);
    await request(app.getHttpServer()).get('/web/vendor/echarts/../package.json').expect(404);
  });
});
