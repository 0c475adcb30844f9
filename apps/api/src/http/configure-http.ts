import { INestApplication, ValidationPipe } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { FunnelConfig } from '@funnel/runtime/funnel-config';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { serveDashboardFiles } from '../web/serve-dashboard-files';
import { ApiExceptionFilter, validationException } from './api-exception.filter';
import { documentEdgeAnswers } from './document-edge-answers';
import { jsonBodyReader } from './json-body.reader';
import { securityHeaders } from './security-headers';

/**
 * Everything HTTP-wide in one place, shared by main.ts and the HTTP tests so that tests
 * exercise the very pipeline users get.
 */
export function configureHttp(app: INestApplication): void {
  const config = app.get(ConfigService<FunnelConfig, true>);
  app.use(securityHeaders());
  // Registered before Nest's own body parsers (added at init), which then find the body read.
  app.use(
    jsonBodyReader({
      maxBytes: config.get('HTTP_BODY_LIMIT_BYTES', { infer: true }),
      maxDepth: config.get('HTTP_MAX_JSON_DEPTH', { infer: true }),
      maxStringLength: config.get('HTTP_MAX_STRING_LENGTH', { infer: true }),
      maxArrayLength: config.get('HTTP_MAX_ARRAY_LENGTH', { infer: true }),
    }),
  );
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      // Report every bad field, not only the first constraint of the first one.
      stopAtFirstError: false,
      // command API: a 400 lists every bad field by its path (account.name, criteria.2.mark).
      exceptionFactory: validationException,
    }),
  );
  // command API: one filter maps domain refusals, conflicts and HTTP errors to one error shape.
  app.useGlobalFilters(new ApiExceptionFilter());
  const document = documentEdgeAnswers(SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Funnel')
      .setDescription('Event-sourced B2B sales funnel: commands, deal history, funnel analytics.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  ));
  SwaggerModule.setup('docs', app, document);
  serveDashboardFiles(app);
}
