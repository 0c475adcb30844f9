import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Public } from '../auth/public.decorator';
import { DASHBOARD_CSP, webDirectory } from './web-files';

/**
 * GET /: the dashboard page. It holds no data and no secrets (it asks the API with the visitor's
 * token), so it is public; what a visitor may see is decided by the API's roles.
 */
@ApiExcludeController()
@Public()
@Controller()
export class DashboardController {
  private readonly html = readFileSync(join(webDirectory(), 'index.html'), 'utf8');

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', DASHBOARD_CSP)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Referrer-Policy', 'no-referrer')
  @Header('Cache-Control', 'no-cache')
  page(): string {
    return this.html;
  }
}
