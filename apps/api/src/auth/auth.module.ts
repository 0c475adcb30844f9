import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import { FunnelConfig, jwtSecret } from '@funnel/runtime/funnel-config';
import { AuthGuard } from './auth.guard';
import { CorrelationIdMiddleware } from './correlation-id.middleware';

/** Who is asking: bearer JWT (HS256) checked by a global guard, and per-request correlation ids. */
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<FunnelConfig, true>) => ({
        secret: jwtSecret({ JWT_SECRET: config.get('JWT_SECRET', { infer: true }) }),
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
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
