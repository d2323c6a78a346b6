import { describe, expect, it } from 'vitest';
import { DatafinitiStore } from '../../../src/providers/datafiniti/store.js';
import { storeContext } from '../../helpers.js';

const DOCUMENTED = 'AAAXXXXXXXXXXXX';

describe('DatafinitiStore', () => {
  it('holds the documented account, then the generated ones, each found by its token', () => {
    const store = new DatafinitiStore(storeContext(1, 20));
    expect(store.size).toBe(21);
    expect(store.findByToken(DOCUMENTED)?.token).toBe(DOCUMENTED);
    const generated = store.slice(20, 1)[0]!;
    expect(store.findByToken(generated.token)).toEqual(generated);
    expect(store.findByToken(`${generated.token.slice(0, -1)}?`)).toBeUndefined();
  });

  it('fills a new account from the next seeded one: what 21 generated accounts would have held last', () => {
    const store = new DatafinitiStore(storeContext(1, 20));
    const created = store.create({ first_name: 'Given' });
    const more = new DatafinitiStore(storeContext(1, 21));
    expect(created).toEqual({ ...more.slice(21, 1)[0], first_name: 'Given' });
    expect(() => store.create({ token: DOCUMENTED })).toThrow(/exists/);
  });

  it('changes and deletes an account, and a reset brings back the seeded ones', () => {
    const store = new DatafinitiStore(storeContext(1, 5));
    const [, first] = store.slice(0, 2);
    expect(store.update(first!.token, { last_name: 'Changed' })?.last_name).toBe('Changed');
    expect(store.findByToken(first!.token)?.last_name).toBe('Changed');
    expect(store.delete(first!.token)).toBe(true);
    expect(store.findByToken(first!.token)).toBeUndefined();
    store.reset();
    expect(store.findByToken(first!.token)).toEqual(first);
  });
});
