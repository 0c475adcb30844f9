import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DASHBOARD_HEADERS, ECHARTS_PREFIX, WEB_PREFIX, echartsDirectory, webDirectory } from './web-files';

interface HeaderTarget {
  setHeader(name: string, value: string): unknown;
}

/**
 * The page's modules under /web/ and the ECharts build under /web/vendor/echarts/, straight from
 * apps/web and node_modules: plain files, no build step. Only these two prefixes touch the file
 * system; a missing file falls through to the API's JSON 404.
 */
export function serveDashboardFiles(app: INestApplication): void {
  const express = app as NestExpressApplication;
  const options = {
    index: false,
    setHeaders: (res: HeaderTarget) => {
      for (const [name, value] of Object.entries(DASHBOARD_HEADERS)) res.setHeader(name, value);
    },
  };
  express.useStaticAssets(echartsDirectory(), { ...options, prefix: ECHARTS_PREFIX });
  express.useStaticAssets(webDirectory(), { ...options, prefix: WEB_PREFIX });
}
