// Vectors from the AWS Signature Version 4 test suite
// (https://docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html), as also run by
// smithy-typescript's signature-v4 package. Only the cases without a query string apply: ecrkit
// never sends one.

export const suiteRegion = 'us-east-1';
export const suiteService = 'service';
export const suiteCredentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
export const suiteDate = Date.parse('2015-08-30T12:36:00Z');

export interface SuiteCase {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  authorization: string;
}

const host = 'example.amazonaws.com';
const credential = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request';

export const suiteCases: SuiteCase[] = [
  {
    name: 'get-header-key-duplicate',
    method: 'GET',
    path: '/',
    headers: { host, 'my-header1': 'value2,value2,value1' },
    authorization: `${credential}, SignedHeaders=host;my-header1;x-amz-date, Signature=c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea`,
  },
  {
    name: 'get-header-value-multiline',
    method: 'GET',
    path: '/',
    headers: { host, 'my-header1': 'value1,value2,value3' },
    authorization: `${credential}, SignedHeaders=host;my-header1;x-amz-date, Signature=ba17b383a53190154eb5fa66a1b836cc297cc0a3d70a5d00705980573d8ff790`,
  },
  {
    name: 'get-header-value-order',
    method: 'GET',
    path: '/',
    headers: { host, 'my-header1': 'value4,value1,value3,value2' },
    authorization: `${credential}, SignedHeaders=host;my-header1;x-amz-date, Signature=08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01`,
  },
  {
    name: 'get-header-value-trim',
    method: 'GET',
    path: '/',
    headers: { host, 'my-header1': 'value1', 'my-header2': '"a   b   c"' },
    authorization: `${credential}, SignedHeaders=host;my-header1;my-header2;x-amz-date, Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736`,
  },
  {
    name: 'get-unreserved',
    method: 'GET',
    path: '/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
    headers: { host },
    authorization: `${credential}, SignedHeaders=host;x-amz-date, Signature=07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f`,
  },
  {
    name: 'get-utf8',
    method: 'GET',
    path: '/\u1234',
    headers: { host },
    authorization: `${credential}, SignedHeaders=host;x-amz-date, Signature=8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85`,
  },
  {
    name: 'get-vanilla',
    method: 'GET',
    path: '/',
    headers: { host },
    authorization: `${credential}, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31`,
  },
  {
    name: 'post-header-key-sort',
    method: 'POST',
    path: '/',
    headers: { host, 'my-header1': 'value1' },
    authorization: `${credential}, SignedHeaders=host;my-header1;x-amz-date, Signature=c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c`,
  },
  {
    name: 'post-header-value-case',
    method: 'POST',
    path: '/',
    headers: { host, 'my-header1': 'VALUE1' },
    authorization: `${credential}, SignedHeaders=host;my-header1;x-amz-date, Signature=cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d`,
  },
  {
    name: 'post-sts-header-before',
    method: 'POST',
    path: '/',
    headers: {
      host,
      'x-amz-security-token':
        'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==',
    },
    authorization: `${credential}, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead`,
  },
  {
    name: 'post-vanilla',
    method: 'POST',
    path: '/',
    headers: { host },
    authorization: `${credential}, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b`,
  },
  {
    name: 'post-x-www-form-urlencoded',
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded', host },
    body: 'Param1=value1',
    authorization: `${credential}, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a`,
  },
  {
    name: 'post-x-www-form-urlencoded-parameters',
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf8', host },
    body: 'Param1=value1',
    authorization: `${credential}, SignedHeaders=content-type;host;x-amz-date, Signature=1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe`,
  },
];
