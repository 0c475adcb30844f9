import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import { FunnelConfig } from '@funnel/runtime/funnel-config';
import { jwtModuleOptions } from './jwt-settings';
import { AuthGuard } from './auth.guard';
import { CorrelationIdMiddleware } from './correlation-id.middleware';

/** Who is asking: bearer JWT (HS256) checked by a global guard, and per-request correlation ids. */
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<FunnelConfig, true>) =>
        jwtModuleOptions({
          JWT_SECRET: config.get('JWT_SECRET', { infer: true }),
          JWT_ISSUER: config.get('JWT_ISSUER', { infer: true }),
          JWT_AUDIENCE: config.get('JWT_AUDIENCE', { infer: true }),
          JWT_CLOCK_SKEW_SECONDS: config.get('JWT_CLOCK_SKEW_SECONDS', { infer: true }),
        }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: AuthGuard }],
})
export class AuthModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CorrelationIdMiddleware).forRoutes('{*path}');
  }
}
