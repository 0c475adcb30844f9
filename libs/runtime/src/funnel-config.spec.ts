import { ConfigError, DEVELOPMENT_JWT_SECRET, loadFunnelConfig } from './funnel-config';

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

  describe('a production start refuses unsafe JWT secrets without printing them', () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x' };
    function refusal(env: Record<string, string>): string {
      try {
        loadFunnelConfig(env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error('the configuration was accepted');
    }

    it('refuses the published development default', () => {
      const message = refusal({ ...production, JWT_SECRET: DEVELOPMENT_JWT_SECRET });
      expect(message).toMatch(/JWT_SECRET/);
      expect(message).not.toContain(DEVELOPMENT_JWT_SECRET);
    });

    it('refuses a short secret, and does not echo it', () => {
      const message = refusal({ ...production, JWT_SECRET: 'hunter2-short' });
      expect(message).toMatch(/JWT_SECRET: .*at least 32/);
      expect(message).not.toContain('hunter2');
    });

    it('refuses none at all', () => {
      expect(refusal(production)).toMatch(/JWT_SECRET: must be set/);
    });

    it('never echoes a secret-bearing variable, whatever is wrong with it', () => {
      const message = refusal({ ...production, JWT_SECRET: 'x'.repeat(40), DATABASE_URL: 'mysql://root:s3cr3t@db/x' });
      expect(message).toMatch(/DATABASE_URL/);
      expect(message).not.toContain('s3cr3t');
    });

    it('accepts a long random secret', () => {
      expect(loadFunnelConfig({ ...production, JWT_SECRET: 'k'.repeat(16) + 'Q'.repeat(16) }).NODE_ENV).toBe('production');
    });
  });
});
