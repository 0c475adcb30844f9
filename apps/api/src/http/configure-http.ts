import { INestApplication, ValidationPipe } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { serveDashboardFiles } from '../web/serve-dashboard-files';
import { ApiExceptionFilter, validationException } from './api-exception.filter';

/**
 * Everything HTTP-wide in one place, shared by main.ts and the HTTP tests so that tests
 * exercise the very pipeline users get.
 */
export function configureHttp(app: INestApplication): void {
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
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Funnel')
      .setDescription('Event-sourced B2B sales funnel: commands, deal history, funnel analytics.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
  serveDashboardFiles(app);
}
