import { purposeOf } from './text';

describe('the purpose printed on the report cover', () => {
  it('is the chosen kind, with what the user added in brackets', () => {
    expect(purposeOf('loan', ' 黑河农商银行 ')).toBe('银行贷款（黑河农商银行）');
    expect(purposeOf('tender', '')).toBe('招标投标');
  });

  it('is what the user typed for another purpose, and empty when nothing was typed', () => {
    expect(purposeOf('other', '  办理出口退税  ')).toBe('办理出口退税');
    expect(purposeOf('other', ' ')).toBe('');
    expect(purposeOf(null, '')).toBe('');
  });
});
