import { Module } from '@nestjs/common';
import { ImportsController } from './imports.controller';

/** The door in for another CRM's history (libs/importers does the work). */
@Module({ controllers: [ImportsController] })
export class ImportsModule {}
