import { describe, expect, it } from 'vitest';
import { requestFromCurl, shellWords } from './curl.js';

describe('requestFromCurl', () => {
  it('sends --user TOKEN: as HTTP Basic with an empty password', () => {
    expect(requestFromCurl('curl --user AAAXXXXXXXXXXXX: http://h/v3/users')).toEqual({
      method: 'GET',
      url: 'http://h/v3/users',
      headers: { authorization: `Basic ${Buffer.from('AAAXXXXXXXXXXXX:').toString('base64')}` },
    });
  });

  it('reads quoted headers, a quoted URL with a query and -X', () => {
    expect(requestFromCurl(`curl -s -X get -H "X-Auth-Token: a b" --header 'Authorization: Bearer t' 'http://h/u?key=k&x=1'`)).toEqual({
      method: 'GET',
      url: 'http://h/u?key=k&x=1',
      headers: { 'x-auth-token': 'a b', authorization: 'Bearer t' },
    });
  });

  it('refuses options it does not know rather than sending half the request', () => {
    expect(() => requestFromCurl('curl -F x=1 http://h/')).toThrow(/-F not understood/);
    expect(() => requestFromCurl('curl --data-binary @file http://h/')).toThrow(/--data-binary not understood/);
    expect(() => requestFromCurl('wget http://h/')).toThrow(/not a curl command/);
    expect(() => requestFromCurl("curl 'http://h/")).toThrow(/unclosed quote/);
  });

  it('sends a -d body, posting it unless -X names another method', () => {
    expect(requestFromCurl(`curl h/r -H 'content-type: application/json' -d '{"a":1}'`)).toEqual({
      method: 'POST',
      url: 'h/r',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(requestFromCurl(`curl -X PATCH h/r --data '{}'`)).toMatchObject({ method: 'PATCH', body: '{}' });
    expect(() => requestFromCurl('curl h/r -d')).toThrow(/-d without a value/);
  });

  it('splits words as a shell does', () => {
    expect(shellWords(`a "b \\"c\\"" 'd e'f g\\ h`)).toEqual(['a', 'b "c"', 'd ef', 'g h']);
  });
});
