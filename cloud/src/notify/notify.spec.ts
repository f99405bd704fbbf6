import { thing } from './notify';

describe('subscribe-message values', () => {
  it('keeps a thing value of 20 characters as it is', () => {
    const sut = thing('黑河示范粮油有限公司黑河示范粮油有限公司');
    expect(sut).toBe('黑河示范粮油有限公司黑河示范粮油有限公司');
  });

  it('cuts a longer thing value to 20 characters, ending in an ellipsis', () => {
    const sut = thing('经核查，该处罚决定已于二〇二六年九月十五日被复议机关撤销，异议成立。');
    expect([...sut]).toHaveLength(20);
    expect(sut.endsWith('…')).toBe(true);
  });
});
