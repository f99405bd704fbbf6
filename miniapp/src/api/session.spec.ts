import { taroFake } from '../../test/taro-fake';
import {
  clearSession,
  getAccessToken,
  getSelectedEntityId,
  getUser,
  saveTokens,
  saveUser,
  selectEntity,
} from './session';

describe('session', () => {
  beforeEach(() => taroFake.reset());

  it('forgets the tokens and the user on sign-out, but not the last enterprise used', () => {
    saveTokens({ accessToken: 'a', refreshToken: 'r' });
    saveUser({ id: 1, enterprises: [{ entityId: 8, uscc: '91231100MA1B2C3D4E', name: '示例公司' }] });
    selectEntity(8);

    clearSession();

    expect(getAccessToken()).toBeNull();
    expect(getUser()).toBeNull();
    expect(getSelectedEntityId()).toBe(8);
  });
});
