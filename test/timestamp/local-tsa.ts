// A local RFC 3161 TSA for tests: a CA and a TSA certificate (timeStamping EKU) made with the openssl
// CLI, and a tiny HTTP server on 127.0.0.1 that answers with `openssl ts -reply`, or misbehaves on cue.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import { PKIStatusInfo, TimeStampReq, TimeStampResp } from 'pkijs';
import { tempDir } from '../bundle/support.js';

export const HAS_OPENSSL = spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;

export type TsaMode = 'ok' | 'wrong-nonce' | 'wrong-imprint' | 'rejected' | 'garbage' | 'http-500' | 'hang';

export interface LocalTsa {
  url: string;
  dir: string;
  /** The CA certificate (PEM) that issued the TSA certificate. */
  caPem: string;
  /** A CA that did not issue it. */
  otherCaPem: string;
  mode: TsaMode;
  /** Requests received (DER). */
  requests: Buffer[];
  close(): Promise<void>;
}

function openssl(args: string[], cwd: string): void {
  const run = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${run.stderr}`);
}

function config(dir: string): string {
  return `[ca_ext]
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
[tsa_ext]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,nonRepudiation
extendedKeyUsage=critical,timeStamping
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
[req]
distinguished_name=dn
[dn]
[tsa]
default_tsa = tsa1
[tsa1]
serial = ${dir}/serial
crypto_device = builtin
signer_cert = ${dir}/tsa.pem
certs = ${dir}/ca.pem
signer_key = ${dir}/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.5
digests = sha256, sha512, sm3
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;
}

/** Makes the certificates (EC P-256, fast) in a fresh folder. */
function makeCertificates(dir: string): void {
  const cnf = join(dir, 'tsa.cnf');
  writeFileSync(cnf, config(dir));
  writeFileSync(join(dir, 'serial'), '01\n');
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  for (const [name, cn] of [
    ['ca', 'Test Root CA'],
    ['other', 'Other Root CA'],
  ] as const)
    openssl(
      [
        'req',
        '-x509',
        ...ec,
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.pem`,
        '-days',
        '3650',
        '-subj',
        `/CN=${cn}`,
        '-config',
        cnf,
        '-extensions',
        'ca_ext',
      ],
      dir,
    );
  openssl(
    [
      'req',
      ...ec,
      '-keyout',
      'tsa.key',
      '-out',
      'tsa.csr',
      '-subj',
      '/CN=Test TSA/O=Local Test',
      '-config',
      cnf,
    ],
    dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'tsa.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-set_serial',
      '2',
      '-out',
      'tsa.pem',
      '-days',
      '3650',
      '-extfile',
      cnf,
      '-extensions',
      'tsa_ext',
    ],
    dir,
  );
}

/** `openssl ts -reply` over a request. */
function reply(dir: string, request: Buffer): Promise<Buffer> {
  const stamp = `${process.hrtime.bigint()}`;
  const query = join(dir, `q-${stamp}.tsq`);
  const out = join(dir, `r-${stamp}.tsr`);
  writeFileSync(query, request);
  return new Promise((resolve, reject) => {
    const child = spawn(
      'openssl',
      ['ts', '-reply', '-queryfile', query, '-config', join(dir, 'tsa.cnf'), '-section', 'tsa1', '-out', out],
      {
        stdio: 'ignore',
      },
    );
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(readFileSync(out)) : reject(new Error(`openssl ts -reply exited ${code}`)),
    );
  });
}

/** The same request with one thing changed, so the TSA's honest answer does not fit the original. */
function altered(request: Buffer, what: 'nonce' | 'imprint'): Buffer {
  const parsed = TimeStampReq.fromBER(new Uint8Array(request));
  if (what === 'nonce') parsed.nonce = new asn1js.Integer({ value: 12345 });
  else {
    const bytes = Buffer.from(parsed.messageImprint.hashedMessage.valueBlock.valueHexView);
    bytes[0] = bytes[0]! ^ 0xff;
    parsed.messageImprint.hashedMessage = new asn1js.OctetString({ valueHex: new Uint8Array(bytes) });
  }
  return Buffer.from(parsed.toSchema().toBER(false));
}

export async function startTsa(): Promise<LocalTsa> {
  const dir = tempDir('ae-tsa-');
  makeCertificates(dir);
  const sockets = new Set<Socket>();
  const tsa: LocalTsa = {
    url: '',
    dir,
    caPem: join(dir, 'ca.pem'),
    otherCaPem: join(dir, 'other.pem'),
    mode: 'ok',
    requests: [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      tsa.requests.push(body);
      const send = (data: Buffer) => {
        res.writeHead(200, { 'Content-Type': 'application/timestamp-reply' });
        res.end(data);
      };
      const fail = () => {
        res.writeHead(500);
        res.end('internal error');
      };
      switch (tsa.mode) {
        case 'hang':
          return;
        case 'http-500':
          return fail();
        case 'garbage':
          return send(Buffer.from('this is not DER at all, just garbage bytes\n'));
        case 'rejected':
          return send(
            Buffer.from(
              new TimeStampResp({ status: new PKIStatusInfo({ status: 2 }) }).toSchema().toBER(false),
            ),
          );
        case 'wrong-nonce':
          return reply(dir, altered(body, 'nonce')).then(send, fail);
        case 'wrong-imprint':
          return reply(dir, altered(body, 'imprint')).then(send, fail);
        default:
          return reply(dir, body).then(send, fail);
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  tsa.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsr`;
  return tsa;
}

/** A URL on 127.0.0.1 where nothing listens (a port opened and closed again). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/tsr`;
}
