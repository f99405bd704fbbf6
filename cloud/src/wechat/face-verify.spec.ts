import { certHash, faceVerifyAdvice } from './face-verify';

describe('certHash', () => {
  it('matches the example in WeChat’s queryverifyinfo documentation', () => {
    const sut = certHash;

    const hash = sut({ name: '张三', idNumber: '310101199801011234' });

    expect(hash).toBe('3c241f7ff324977aeb91f173bb2a7b06569e6fd784d5573db34a636d8671108b');
  });

  it('differs when only the check character of the ID number differs', () => {
    const sut = certHash;

    expect(sut({ name: '张三', idNumber: '23110219800101002X' })).not.toBe(
      sut({ name: '张三', idNumber: '231102198001010020' }),
    );
  });
});

describe('faceVerifyAdvice', () => {
  it('tells a person who cancelled how to continue', () => {
    const sut = faceVerifyAdvice;

    expect(sut(90004)).toContain('重新发起人脸核身');
  });

  it('tells a person without camera permission where to grant it', () => {
    const sut = faceVerifyAdvice;

    expect(sut(90010)).toContain('允许微信使用相机和麦克风');
  });

  it('tells a person whose face did not match the ID that the legal representative must verify in person', () => {
    const sut = faceVerifyAdvice;

    expect(sut(10004)).toContain('法定代表人本人');
  });
});
