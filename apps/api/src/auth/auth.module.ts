import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { jwtSecret } from '@funnel/runtime/funnel-config';
import { FUNNEL_RUNTIME, FunnelRuntime } from '@funnel/runtime/funnel-runtime';
import { AuthGuard } from './auth.guard';
import { CorrelationIdMiddleware } from './correlation-id.middleware';

/** Who is asking: bearer JWT (HS256) checked by a global guard, and per-request correlation ids. */
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [FUNNEL_RUNTIME],
      useFactory: (runtime: FunnelRuntime) => ({
        secret: jwtSecret(runtime.config),
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
