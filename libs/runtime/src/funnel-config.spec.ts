import { ConfigError, loadFunnelConfig } from './funnel-config';

describe('configuration', () => {
  it('starts on the embedded default when nothing is set', () => {
    const config = loadFunnelConfig({});
    expect(config).toMatchObject({ PORT: 3000, DATA_DIR: './data', NODE_ENV: 'development' });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.EVENTSTORE_CONNECTION_STRING).toBeUndefined();
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadFunnelConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', EVENTSTORE_CONNECTION_STRING: 'http://es' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^PORT/m);
    expect(problems).toMatch(/^DATABASE_URL/m);
    expect(problems).toMatch(/^EVENTSTORE_CONNECTION_STRING/m);
  });

  it('refuses production without a JWT secret', () => {
    expect(() => loadFunnelConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x' })).toThrow(/JWT_SECRET/);
  });
});
