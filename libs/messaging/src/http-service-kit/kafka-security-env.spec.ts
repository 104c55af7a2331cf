import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadConfig } from './env-config';
import { PlatformEnv } from './platform-env';

const base = { DATABASE_URL: 'postgres://orders@db/troupe' };

function problems(env: Record<string, string>): string {
  try {
    loadConfig(PlatformEnv, { ...base, ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('Kafka security settings', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'troupe-kafka-env-'));
  const passwordFile = path.join(dir, 'password');
  const caFile = path.join(dir, 'ca.crt');
  fs.writeFileSync(passwordFile, 's3cret\n');
  fs.writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('adds nothing by default', () => {
    const kafka = loadConfig(PlatformEnv, base).troupeOptions('orders').kafka!;
    expect(kafka.sasl).toBeUndefined();
    expect(kafka.ssl).toBeUndefined();
  });

  it('reads SCRAM credentials with the password from a file, without its trailing newline', () => {
    const config = loadConfig(PlatformEnv, {
      ...base,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'orders',
      KAFKA_SASL_PASSWORD_FILE: passwordFile,
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: caFile,
    });
    const kafka = config.troupeOptions('orders').kafka!;
    expect(kafka.sasl).toEqual({
      mechanism: 'scram-sha-512',
      username: 'orders',
      password: 's3cret',
    });
    expect(kafka.ssl).toEqual({ ca: [fs.readFileSync(caFile, 'utf8')] });
  });

  it('takes KAFKA_SSL=true alone as TLS with the default CA store', () => {
    expect(
      loadConfig(PlatformEnv, { ...base, KAFKA_SSL: 'true' }).troupeOptions('x').kafka?.ssl,
    ).toBe(true);
  });

  it('names the missing username and password when a mechanism is set', () => {
    const message = problems({ KAFKA_SASL_MECHANISM: 'scram-sha-512' });
    expect(message).toMatch(/KAFKA_SASL_USERNAME: must be set when KAFKA_SASL_MECHANISM is/);
    expect(message).toMatch(
      /KAFKA_SASL_PASSWORD: exactly one of KAFKA_SASL_PASSWORD and KAFKA_SASL_PASSWORD_FILE/,
    );
  });

  it('refuses both a password and a password file', () => {
    const message = problems({
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: 'p',
      KAFKA_SASL_PASSWORD_FILE: passwordFile,
    });
    expect(message).toMatch(/KAFKA_SASL_PASSWORD: exactly one of/);
  });

  it('names an unknown mechanism, an unreadable password file and a CA file without TLS', () => {
    const message = problems({
      KAFKA_SASL_MECHANISM: 'gssapi',
      KAFKA_SASL_PASSWORD_FILE: path.join(dir, 'absent'),
      KAFKA_SSL_CA_FILE: caFile,
    });
    expect(message).toMatch(/KAFKA_SASL_MECHANISM: .*\(got "gssapi"\)/);
    expect(message).toMatch(/KAFKA_SASL_PASSWORD_FILE: must be a readable, non-empty file/);
    expect(message).toMatch(/KAFKA_SSL_CA_FILE: needs KAFKA_SSL=true/);
  });

  it('names a CA file that holds no certificate', () => {
    expect(problems({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: passwordFile })).toMatch(
      /KAFKA_SSL_CA_FILE: must be a readable PEM file of certificates/,
    );
  });

  it('reads TOPIC_CREATE=false into the topic options', () => {
    expect(
      loadConfig(PlatformEnv, { ...base, TOPIC_CREATE: 'false' }).troupeOptions('x').topics,
    ).toEqual({ partitions: 6, create: false });
  });
});
