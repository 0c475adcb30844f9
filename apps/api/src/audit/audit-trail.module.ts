import { Module } from '@nestjs/common';
import { AuditTrailQuery } from '@funnel/read-models/audit-trail/audit-trail.query';
import { ReadModelsModule } from '@funnel/read-models/read-models.module';
import { AuditTrailController } from './audit-trail.controller';

/** Correlations and actors' events, from the audit_trail read model. */
@Module({
  imports: [ReadModelsModule],
  controllers: [AuditTrailController],
  providers: [AuditTrailQuery],
})
export class AuditTrailModule {}
