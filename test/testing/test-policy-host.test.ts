import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPolicyHost, type TestPolicyHost } from '../../src/testing/index.js';

let host: TestPolicyHost;

beforeAll(async () => {
  host = await startTestPolicyHost({ policies: { 'Mandant.test': 'version: STSv1\n' } });
});
afterAll(async () => {
  await host.close();
});

function get(
  servername: string,
  path: string,
): Promise<{ status: number; body: string; type: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: host.host,
        port: host.port,
        servername,
        path,
        ca: host.ca.cert,
        agent: false,
        headers: { host: servername },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body, type: res.headers['content-type'] }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('startTestPolicyHost', () => {
  it('serves the policy of the SNI name under /.well-known/mta-sts.txt, with a certificate for that name', async () => {
    expect(await get('mta-sts.mandant.test', '/.well-known/mta-sts.txt')).toEqual({
      status: 200,
      body: 'version: STSv1\n',
      type: 'text/plain',
    });
    expect(host.requestsFor('mandant.test')).toEqual([
      {
        servername: 'mta-sts.mandant.test',
        method: 'GET',
        path: '/.well-known/mta-sts.txt',
        host: 'mta-sts.mandant.test',
      },
    ]);
  });

  it('answers 404 for other paths and unknown names', async () => {
    expect((await get('mta-sts.mandant.test', '/')).status).toBe(404);
    await expect(get('mta-sts.unknown.test', '/.well-known/mta-sts.txt')).resolves.toMatchObject({
      status: 404,
    });
    expect(host.handshakes).toBe(3);
  });
});
