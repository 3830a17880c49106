import { ConfigError, loadConfig, requireExternal } from '../../common/config';

const PAYLOAD_KEYS = `2026-11:${Buffer.alloc(32, 7).toString('base64')}`;
const DOCUMENT_SIGNING_KEYS = `2026-11:${Buffer.alloc(32, 9).toString('base64')}`;

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

  it('refuses production without the keys that encrypt Temporal payloads, or with a malformed one', () => {
    const idp = { NODE_ENV: 'production', JWT_JWKS_URL: 'https://idp.example/jwks', DOCUMENT_SIGNING_KEYS };
    expect(problemsOf(idp)).toEqual([expect.stringMatching(/^PAYLOAD_KEYS: /)]);
    expect(problemsOf({ ...idp, PAYLOAD_KEYS: 'k1:c2hvcnQ=' })).toEqual([expect.stringMatching(/^PAYLOAD_KEYS: .*32 bytes/)]);
    expect(loadConfig({ ...idp, PAYLOAD_KEYS }).payloads.keys).toBe(PAYLOAD_KEYS);
    expect(loadConfig({}).payloads).toEqual({ keys: undefined, codecCorsOrigins: ['http://127.0.0.1:8233', 'http://localhost:8233'] });
  });

  it('refuses production without the keys that sign issued documents, or with a malformed one', () => {
    const production = { NODE_ENV: 'production', JWT_JWKS_URL: 'https://idp.example/jwks', PAYLOAD_KEYS };
    expect(problemsOf(production)).toEqual([expect.stringMatching(/^DOCUMENT_SIGNING_KEYS: /)]);
    expect(problemsOf({ ...production, DOCUMENT_SIGNING_KEYS: 'k1:c2hvcnQ=' })).toEqual([expect.stringMatching(/^DOCUMENT_SIGNING_KEYS: .*32 bytes/)]);
    expect(loadConfig({ ...production, DOCUMENT_SIGNING_KEYS }).documents.signingKeys).toBe(DOCUMENT_SIGNING_KEYS);
    expect(loadConfig({}).documents).toEqual({ signingKeys: undefined });
  });

  it('refuses production without a way to verify tokens, and has no dev secret there', () => {
    expect(problemsOf({ NODE_ENV: 'production', PAYLOAD_KEYS, DOCUMENT_SIGNING_KEYS })).toEqual([expect.stringMatching(/^JWT_SECRET: /)]);
    expect(problemsOf({ NODE_ENV: 'production', PAYLOAD_KEYS, DOCUMENT_SIGNING_KEYS, JWT_SECRET: 'short' })).toEqual([expect.stringMatching(/^JWT_SECRET: .*32/)]);
    const config = loadConfig({ NODE_ENV: 'production', PAYLOAD_KEYS, DOCUMENT_SIGNING_KEYS, JWT_JWKS_URL: 'https://idp.example/jwks' });
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

  it('allows the API\'s own origins in dev mode, none in production, and exactly CORS_ORIGINS when set', () => {
    expect(loadConfig({ PORT: '3100' }).http.corsOrigins).toEqual(['http://localhost:3100', 'http://127.0.0.1:3100']);
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://dvc.example.gov.vn/x' }).http.corsOrigins).toContain('https://dvc.example.gov.vn');
    expect(loadConfig({ NODE_ENV: 'production', PAYLOAD_KEYS, DOCUMENT_SIGNING_KEYS, JWT_JWKS_URL: 'https://idp.example/jwks' }).http.corsOrigins).toEqual([]);
    const listed = loadConfig({ CORS_ORIGINS: 'https://portal.example.gov.vn, http://localhost:5173' });
    expect(listed.http.corsOrigins).toEqual(['https://portal.example.gov.vn', 'http://localhost:5173']);
    expect(problemsOf({ CORS_ORIGINS: 'https://portal.example.gov.vn/app' })).toEqual([expect.stringMatching(/^CORS_ORIGINS: /)]);
    expect(problemsOf({ CORS_ORIGINS: '*' })).toEqual([expect.stringMatching(/^CORS_ORIGINS: /)]);
  });

  it('has rate limits per minute, 0 turning one off', () => {
    expect(loadConfig({}).http.rateLimits).toEqual({ filings: 10, verifications: 60, devTokens: 30 });
    expect(loadConfig({ RATE_LIMIT_FILINGS: '0', RATE_LIMIT_VERIFICATIONS: '5' }).http.rateLimits).toMatchObject({ filings: 0, verifications: 5 });
    expect(problemsOf({ RATE_LIMIT_FILINGS: '-1', RATE_LIMIT_DEV_TOKENS: 'many' }).map((p) => p.split(':')[0]).sort()).toEqual([
      'RATE_LIMIT_DEV_TOKENS',
      'RATE_LIMIT_FILINGS',
    ]);
  });

  it('refuses dev mode on a HOST the network reaches, unless DEV_MODE_ALLOW_NETWORK=1 says it is meant', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'api.city.example', '::ffff:10.0.0.1']) {
      const problems = problemsOf({ HOST: host });
      expect(problems).toEqual([expect.stringMatching(/^HOST: dev mode .*loopback.*DEV_MODE_ALLOW_NETWORK=1/)]);
      expect(problemsOf({ HOST: host, NODE_ENV: 'test' })).toEqual(problems);
      expect(loadConfig({ HOST: host, DEV_MODE_ALLOW_NETWORK: '1' }).http.host).toBe(host);
    }
    for (const host of ['127.0.0.1', '127.0.1.1', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'localhost']) {
      expect(loadConfig({ HOST: host }).http.host).toBe(host);
    }
    // Production has no dev endpoints: any HOST.
    expect(loadConfig({ NODE_ENV: 'production', PAYLOAD_KEYS, DOCUMENT_SIGNING_KEYS, JWT_JWKS_URL: 'https://idp.example/jwks', HOST: '0.0.0.0' }).http.host).toBe('0.0.0.0');
    expect(problemsOf({ HOST: '0.0.0.0', DEV_MODE_ALLOW_NETWORK: 'yes' })).toEqual([expect.stringMatching(/^DEV_MODE_ALLOW_NETWORK: /)]);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).http.port).toBe(3000);
  });
});
