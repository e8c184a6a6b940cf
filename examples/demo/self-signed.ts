import { generate } from 'selfsigned';

/**
 * A self-signed certificate for `localhost` and 127.0.0.1, made at start (`HERALD_TLS=1 npm
 * start`) with the `selfsigned` package: browsers warn about it once, then speak HTTP/2 to the
 * demo. For anything real, use a certificate from a CA (Let's Encrypt) instead.
 */
export async function selfSignedCertificate(): Promise<{ key: string; cert: string }> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    extensions: [
      { name: 'basicConstraints', cA: false },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
