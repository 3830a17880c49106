import { ConfigError, loadConfig, requireExternal } from '../../common/config';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('runs on the embedded defaults with nothing set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      mode: 'development',
      devMode: true,
      http: { host: '127.0.0.1', port: 3000 },
      temporal: { address: undefined, namespace: 'default', embeddedPort: 7233, uiPort: 8233 },
      database: { url: undefined, embeddedPort: 5433 },
      smtp: { url: undefined, embeddedPort: 2525 },
    });
    expect(config.auth.secret).toBeDefined();
  });

  it('names each wrong variable', () => {
    const problems = problemsOf({ PORT: 'eighty', DATABASE_URL: 'mysql://x', TEMPORAL_ADDRESS: 'http://temporal', LOG_LEVEL: 'loud' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT', 'TEMPORAL_ADDRESS']);
  });

  it('refuses production without a way to verify tokens, and has no dev secret there', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([expect.stringMatching(/^JWT_SECRET: /)]);
    expect(problemsOf({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toEqual([expect.stringMatching(/^JWT_SECRET: .*32/)]);
    const config = loadConfig({ NODE_ENV: 'production', JWT_JWKS_URL: 'https://idp.example/jwks' });
    expect(config.devMode).toBe(false);
    expect(config.auth.secret).toBeUndefined();
  });

  it('takes real Temporal, PostgreSQL and SMTP from their variables', () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: 'temporal.city.example:7233',
      DATABASE_URL: 'postgresql://app:pw@db.city.example:5432/procedures',
      SMTP_URL: 'smtp://relay.city.example:25',
    });
    expect(config.temporal.address).toBe('temporal.city.example:7233');
    expect(() => requireExternal(config, ['temporal', 'database', 'smtp'])).not.toThrow();
  });

  it('tells a stand-alone worker or API which variables it still needs', () => {
    expect(() => requireExternal(loadConfig({ SMTP_URL: 'smtp://relay:25' }), ['temporal', 'database', 'smtp'])).toThrow(
      /TEMPORAL_ADDRESS[\s\S]*DATABASE_URL/,
    );
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).http.port).toBe(3000);
  });
});
