import { logTransport } from './log-transport';

describe('log format', () => {
  it('is pino-pretty in development in a terminal', () => {
    expect(logTransport({ NODE_ENV: 'development' }, true)?.target).toBe('pino-pretty');
  });

  it('is JSON when not in a terminal, in test or production, or without pino-pretty installed', () => {
    expect(logTransport({ NODE_ENV: 'development' }, false)).toBeUndefined();
    expect(logTransport({ NODE_ENV: 'production' }, true)).toBeUndefined();
    expect(logTransport({ NODE_ENV: 'test' }, true)).toBeUndefined();
    const missing = () => {
      throw new Error('Cannot find module');
    };
    expect(logTransport({ NODE_ENV: 'development' }, true, missing)).toBeUndefined();
  });
});
