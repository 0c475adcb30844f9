import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller';

/** The dashboard page at `/`; its static files are mounted by serveDashboardFiles. */
@Module({ controllers: [DashboardController] })
export class WebModule {}
