import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface TestCertificates {
  /** PEM of the CA that signed the broker's certificate (what clients trust). */
  caFile: string;
  /** PKCS12 keystore of the broker (certificate for localhost / 127.0.0.1 and its key). */
  keystoreFile: string;
  keystorePassword: string;
}

/** A throw-away CA and broker certificate made with openssl, valid for two days. */
export function makeTestCertificates(dir: string): TestCertificates {
  fs.mkdirSync(dir, { recursive: true });
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) =>
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const keystorePassword = 'troupe-test';
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.crt'),
    '-days',
    '2',
    '-subj',
    '/CN=Troupe test CA',
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    file('broker.key'),
    '-out',
    file('broker.csr'),
    '-subj',
    '/CN=localhost',
  );
  fs.writeFileSync(file('broker.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    file('broker.csr'),
    '-CA',
    file('ca.crt'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('broker.crt'),
    '-days',
    '2',
    '-extfile',
    file('broker.ext'),
  );
  openssl(
    'pkcs12',
    '-export',
    '-in',
    file('broker.crt'),
    '-inkey',
    file('broker.key'),
    '-out',
    file('broker.p12'),
    '-passout',
    `pass:${keystorePassword}`,
    '-name',
    'broker',
  );
  return { caFile: file('ca.crt'), keystoreFile: file('broker.p12'), keystorePassword };
}
