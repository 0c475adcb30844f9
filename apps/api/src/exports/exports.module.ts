import { Module } from '@nestjs/common';
import { ExportsController } from './exports.controller';

/** The doors out: the event store as JSONL, CSV, OCEL 2.0 and XES (libs/exports does the work). */
@Module({ controllers: [ExportsController] })
export class ExportsModule {}
