import * as fs from 'node:fs';
import {
  IsBoolean,
  IsIn,
  ValidateIf,
  ValidationArguments,
  registerDecorator,
} from 'class-validator';
import { KafkaSaslOptions, KafkaTransportOptions } from '../transport/kafkajs/kafkajs.options';

type Mechanism = '' | KafkaSaslOptions['mechanism'];

/**
 * How a service authenticates to Kafka and whether it speaks TLS (environment variables of the
 * same names). Defaults: neither, as on a developer's broker. In Kubernetes the password comes
 * from the KafkaUser's secret mounted as a file (KAFKA_SASL_PASSWORD_FILE), never from a value.
 * Every rule here is checked once at start-up; a broken combination names the setting.
 */
export class KafkaSecurityEnv {
  /** `scram-sha-512` (Strimzi's users), `scram-sha-256` or `plain`; empty for no SASL. */
  @IsIn(['', 'plain', 'scram-sha-256', 'scram-sha-512'])
  KAFKA_SASL_MECHANISM: Mechanism = '';

  /** The service's Kafka user (its KafkaUser's name). Required with a mechanism. */
  @ValidateIf((env: KafkaSecurityEnv) => env.KAFKA_SASL_MECHANISM !== '')
  @Holds((env) => env.KAFKA_SASL_USERNAME.trim() !== '', 'must be set when KAFKA_SASL_MECHANISM is')
  KAFKA_SASL_USERNAME = '';

  /** The password itself; prefer KAFKA_SASL_PASSWORD_FILE. Exactly one of the two with a mechanism. */
  @ValidateIf((env: KafkaSecurityEnv) => env.KAFKA_SASL_MECHANISM !== '')
  @Holds(
    (env) => (env.KAFKA_SASL_PASSWORD !== '') !== (env.KAFKA_SASL_PASSWORD_FILE !== ''),
    'exactly one of KAFKA_SASL_PASSWORD and KAFKA_SASL_PASSWORD_FILE must be set when KAFKA_SASL_MECHANISM is',
  )
  KAFKA_SASL_PASSWORD = '';

  /** A file holding the password (a mounted secret key); trailing newlines are ignored. */
  @ValidateIf((env: KafkaSecurityEnv) => env.KAFKA_SASL_PASSWORD_FILE !== '')
  @Holds((env) => readable(env.KAFKA_SASL_PASSWORD_FILE), 'must be a readable, non-empty file')
  KAFKA_SASL_PASSWORD_FILE = '';

  /** Connect with TLS (a SASL_SSL or SSL listener). Default false. */
  @IsBoolean()
  KAFKA_SSL = false;

  /** PEM file of the CA that signed the brokers' certificates (Strimzi: the cluster CA's ca.crt). Needs KAFKA_SSL=true. */
  @ValidateIf((env: KafkaSecurityEnv) => env.KAFKA_SSL_CA_FILE !== '')
  @Holds((env) => env.KAFKA_SSL === true, 'needs KAFKA_SSL=true')
  @Holds(
    (env) => readable(env.KAFKA_SSL_CA_FILE, 'BEGIN CERTIFICATE'),
    'must be a readable PEM file of certificates',
  )
  KAFKA_SSL_CA_FILE = '';

  /** The sasl and ssl parts of the Kafka transport options, files read now. */
  kafkaSecurity(): Pick<KafkaTransportOptions, 'sasl' | 'ssl'> {
    const ssl = !this.KAFKA_SSL
      ? undefined
      : this.KAFKA_SSL_CA_FILE === ''
        ? true
        : { ca: [fs.readFileSync(this.KAFKA_SSL_CA_FILE, 'utf8')] };
    const mechanism = this.KAFKA_SASL_MECHANISM;
    if (mechanism === '') return ssl === undefined ? {} : { ssl };
    const password =
      this.KAFKA_SASL_PASSWORD_FILE === ''
        ? this.KAFKA_SASL_PASSWORD
        : fs.readFileSync(this.KAFKA_SASL_PASSWORD_FILE, 'utf8').replace(/[\r\n]+$/, '');
    return {
      sasl: { mechanism, username: this.KAFKA_SASL_USERNAME, password },
      ...(ssl === undefined ? {} : { ssl }),
    };
  }
}

function readable(file: string, marker?: string): boolean {
  try {
    const content = fs.readFileSync(file, 'utf8');
    return content.trim() !== '' && (marker === undefined || content.includes(marker));
  } catch {
    return false;
  }
}

/** A rule over the whole settings object, reported on the decorated setting. */
function Holds(rule: (env: KafkaSecurityEnv) => boolean, message: string): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'holds',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message },
      validator: {
        validate: (_value: unknown, args: ValidationArguments) =>
          rule(args.object as KafkaSecurityEnv),
      },
    });
}
